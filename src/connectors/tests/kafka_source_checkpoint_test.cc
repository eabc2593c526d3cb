// The kafka source in checkpoint mode (docs/design/checkpoints.md §1.2): static assignment over
// the readers, positions snapshotted after the rows handed out and restored at any parallelism
// (exactly once, checked offset by offset), bounded ends kept across a restore, out-of-range
// restored positions, offsets committed only for completed checkpoints. Against librdkafka's
// mock cluster, and against the real broker of scripts/services.sh (RealBroker tests).

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <set>
#include <thread>
#include <tuple>

#include "connectors/kafka/kafka_assignment.h"
#include "connectors/kafka/kafka_connector.h"
#include "connectors/kafka/kafka_source.h"
#include "connectors/kafka/kafka_source_position.h"
#include "connectors/tests/kafka_test_util.h"
#include "connectors/tests/test_tables.h"

namespace sluice {
namespace {

using testing::MakeContext;
using testing::MakeTable;
using testing::MockKafka;
using testing::PolledRows;

using Clock = std::chrono::steady_clock;

/// One record as the source handed it out: (topic, partition, offset).
using Record = std::tuple<std::string, int32_t, int64_t>;

Record ParseRow(const std::string& row) {
  // "+I[<id>, <topic>, <partition>, <offset>]"
  const size_t open = row.find('[');
  std::vector<std::string> parts;
  size_t start = open + 1;
  for (size_t i = start; i < row.size(); ++i) {
    if (row[i] == ',' || row[i] == ']') {
      parts.push_back(row.substr(start, i - start));
      start = i + 2;
    }
  }
  EXPECT_EQ(parts.size(), 4u) << row;
  if (parts.size() != 4) return {};
  return {parts[1], std::stoi(parts[2]), std::stoll(parts[3])};
}

/// A checkpointed source and its readers: one "run" of a job.
struct JobRun {
  TableContext context;
  std::unique_ptr<Source> source;
  std::vector<std::unique_ptr<SplitReader>> readers;
  std::vector<PolledRows> polled;
  Status status;  // the first error of ListSplits/CreateReader/Restore/Open

  KafkaSource& kafka() { return static_cast<KafkaSource&>(*source); }
  size_t rows() const {
    size_t n = 0;
    for (const PolledRows& p : polled) n += p.rows.size();
    return n;
  }
  std::vector<Record> records() const {
    std::vector<Record> out;
    for (const PolledRows& p : polled) {
      for (const std::string& row : p.rows) out.push_back(ParseRow(row));
    }
    return out;
  }
  bool all_ended() const {
    for (const PolledRows& p : polled) {
      if (!p.end_of_split) return false;
    }
    return true;
  }
  std::vector<StreamPosition> Snapshot() {
    std::vector<StreamPosition> out;
    for (auto& reader : readers) {
      Status s = reader->SnapshotPositions(&out);
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
    return out;
  }
  std::vector<StreamPosition> SnapshotOf(size_t reader) {
    std::vector<StreamPosition> out;
    Status s = readers[reader]->SnapshotPositions(&out);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }
  void Close() {
    for (auto& reader : readers) {
      Status s = reader->Close();
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
    readers.clear();
  }
};

/// A table (id BIGINT + topic, partition, offset metadata columns) over `topic`, in checkpoint
/// mode, with `parallelism` readers restored from `restore` (when given) and opened.
JobRun StartRun(const std::string& bootstraps, const std::string& topic, Options options,
                int parallelism, const std::vector<StreamPosition>* restore = nullptr) {
  options["connector"] = "kafka";
  if (!options.count("topic-pattern")) options["topic"] = topic;
  options["properties.bootstrap.servers"] = bootstraps;
  options.emplace("format", "json");
  options.emplace("scan.startup.mode", "earliest-offset");
  if (const char* debug = getenv("KAFKA_TEST_DEBUG")) options.emplace("properties.debug", debug);
  auto table = MakeTable("orders", Schema{{{"id", LogicalType::Bigint()}}}, options);
  JobRun run;
  run.context = MakeContext(table);
  for (const MetadataDef& def : kKafkaConnector.metadata) {
    if (def.key != "topic" && def.key != "partition" && def.key != "offset") continue;
    ColumnDef column;
    column.field = {"m_" + std::string(def.key), def.type};
    column.metadata_key = std::string(def.key);
    table->columns.push_back(column);
    run.context.physical_schema.fields.push_back(column.field);
    run.context.metadata_keys.emplace_back(def.key);
  }
  run.context.errors = std::make_shared<SourceErrorCounters>();
  auto source = kKafkaConnector.make_source(run.context);
  if (!source.ok()) {
    run.status = source.status();
    return run;
  }
  run.source = std::move(source).value();
  run.status = run.source->EnableCheckpointing();
  if (!run.status.ok()) return run;
  auto splits = run.source->ListSplits(parallelism);
  if (!splits.ok()) {
    run.status = splits.status();
    return run;
  }
  for (const SourceSplit& split : *splits) {
    auto reader = run.source->CreateReader(split);
    if (!reader.ok()) {
      run.status = reader.status();
      return run;
    }
    if (restore) {
      run.status = (*reader)->RestorePositions(*restore);
      if (!run.status.ok()) return run;
    }
    run.status = (*reader)->Open();
    if (!run.status.ok()) return run;
    run.readers.push_back(std::move(reader).value());
  }
  run.polled.resize(run.readers.size());
  return run;
}

/// One Poll() of reader `i` (unless its split ended); rows, streams and events recorded.
void PollOnce(JobRun& run, size_t i, size_t max_rows) {
  PolledRows& polled = run.polled[i];
  if (polled.end_of_split || !polled.status.ok()) return;
  auto batch = run.readers[i]->Poll(max_rows, &polled.end_of_split);
  if (!batch.ok()) {
    polled.status = batch.status();
    return;
  }
  for (size_t r = 0; r < batch->num_rows(); ++r) {
    polled.rows.push_back(batch->RowToString(r));
    polled.row_streams.push_back(run.readers[i]->LastPollStream());
  }
  int64_t stream;
  while (run.readers[i]->TakeAddedStream(&stream)) polled.added.push_back(stream);
  while (run.readers[i]->TakeEndedStream(&stream)) polled.ended.push_back(stream);
}

/// Polls every reader in turn until `done(run)`, every split ended, an error, or `seconds`.
template <typename Done>
void PollRun(JobRun& run, Done done, double seconds, size_t max_rows = 1000) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(static_cast<int>(seconds * 1000));
  while (!done(run) && !run.all_ended() && Clock::now() < deadline) {
    for (size_t i = 0; i < run.readers.size() && !done(run); ++i) {
      PollOnce(run, i, max_rows);
      ASSERT_TRUE(run.polled[i].status.ok()) << run.polled[i].status.ToString();
    }
  }
}

auto RowsAtLeast(size_t n) {
  return [n](const JobRun& run) { return run.rows() >= n; };
}
auto Never() {
  return [](const JobRun&) { return false; };
}

std::map<std::string, KafkaPartitionPosition> ByStream(const std::vector<StreamPosition>& all) {
  std::map<std::string, KafkaPartitionPosition> out;
  for (const StreamPosition& p : all) {
    auto decoded = DecodeKafkaPosition(p);
    EXPECT_TRUE(decoded.ok()) << decoded.status().ToString();
    if (!decoded.ok()) continue;
    EXPECT_EQ(out.count(p.stream), 0u) << "stream " << p.stream << " snapshotted twice";
    out[p.stream] = decoded->second;
  }
  return out;
}

std::set<std::string> Streams(const std::vector<StreamPosition>& positions) {
  std::set<std::string> out;
  for (const StreamPosition& p : positions) out.insert(p.stream);
  return out;
}

void ProduceIds(MockKafka& kafka, const std::string& topic, int partition, int count) {
  for (int i = 0; i < count; ++i) {
    kafka.Produce(topic, partition, std::nullopt, "{\"id\": " + std::to_string(i) + "}");
  }
  kafka.Flush();
}

/// Every (partition, offset) of `counts` (partition -> records) of `topic`.
std::set<Record> AllRecords(const std::string& topic, const std::map<int32_t, int64_t>& counts) {
  std::set<Record> out;
  for (const auto& [partition, count] : counts) {
    for (int64_t o = 0; o < count; ++o) out.insert({topic, partition, o});
  }
  return out;
}

/// Checks that `records` hold each record once and nothing else; `context` names the check.
void ExpectExactlyOnce(const std::vector<Record>& records, const std::set<Record>& expected,
                       const std::string& context) {
  std::map<Record, int> seen;
  for (const Record& r : records) ++seen[r];
  for (const auto& [r, n] : seen) {
    EXPECT_EQ(n, 1) << context << ": " << std::get<0>(r) << "[" << std::get<1>(r) << "]@"
                    << std::get<2>(r) << " read " << n << " times";
    EXPECT_TRUE(expected.count(r)) << context << ": unexpected " << std::get<0>(r) << "["
                                   << std::get<1>(r) << "]@" << std::get<2>(r);
  }
  for (const Record& r : expected) {
    EXPECT_TRUE(seen.count(r)) << context << ": missing " << std::get<0>(r) << "[" << std::get<1>(r)
                               << "]@" << std::get<2>(r);
  }
}

/// After a snapshot: every position's `next` is one past the last offset handed out of its
/// partition (or unknown when nothing was), and no reader handed out anything beyond it.
void ExpectPositionsMatchRows(const std::vector<Record>& records,
                              const std::vector<StreamPosition>& positions) {
  std::map<std::string, int64_t> last;
  for (const auto& [topic, partition, offset] : records) {
    std::string stream = KafkaStreamName(topic, partition);
    last[stream] = std::max(last.count(stream) ? last[stream] : -1, offset);
  }
  for (const auto& [stream, position] : ByStream(positions)) {
    if (position.ended) continue;  // bounded: next = bound, checked by the caller
    auto it = last.find(stream);
    if (it == last.end()) {
      EXPECT_TRUE(position.next == -1 || position.next == 0) << stream << " " << position.next;
    } else {
      EXPECT_EQ(position.next, it->second + 1) << stream;
    }
  }
  for (const auto& [stream, offset] : last) {
    EXPECT_TRUE(Streams(positions).count(stream)) << stream << " has rows but no position";
  }
}

/// The group's committed offset per partition of `topic` (-1: none), read with a consumer of
/// the group that joins nothing.
std::map<int32_t, int64_t> Committed(const std::string& bootstraps, const std::string& group,
                                     const std::string& topic, int partitions) {
  char error[256];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstraps.c_str(), error, sizeof(error));
  rd_kafka_conf_set(conf, "group.id", group.c_str(), error, sizeof(error));
  rd_kafka_conf_set_log_cb(conf, [](const rd_kafka_t*, int, const char*, const char*) {});
  rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof(error));
  std::map<int32_t, int64_t> out;
  EXPECT_NE(consumer, nullptr) << error;
  if (!consumer) return out;
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(partitions);
  for (int p = 0; p < partitions; ++p) rd_kafka_topic_partition_list_add(list, topic.c_str(), p);
  rd_kafka_resp_err_t err = rd_kafka_committed(consumer, list, 15000);
  EXPECT_EQ(err, RD_KAFKA_RESP_ERR_NO_ERROR) << rd_kafka_err2str(err);
  for (int i = 0; i < list->cnt; ++i) {
    out[list->elems[i].partition] = list->elems[i].offset < 0 ? -1 : list->elems[i].offset;
  }
  rd_kafka_topic_partition_list_destroy(list);
  rd_kafka_destroy(consumer);
  return out;
}

// --- without Kafka ---

TEST(KafkaSourcePositionTest, EncodesAndDecodes) {
  EXPECT_EQ(KafkaStreamName("orders", 3), "orders/3");
  EXPECT_EQ(EncodeKafkaPosition({1234, -1, false}), "{\"next\":1234}");
  EXPECT_EQ(EncodeKafkaPosition({1234, 5000, false}), "{\"next\":1234,\"bound\":5000}");
  EXPECT_EQ(EncodeKafkaPosition({5000, 5000, true}),
            "{\"next\":5000,\"bound\":5000,\"ended\":true}");
  EXPECT_EQ(EncodeKafkaPosition({-1, -1, false}), "{}");
  EXPECT_EQ(EncodeKafkaPosition({-1, 7, false}), "{\"bound\":7}");

  auto decoded = DecodeKafkaPosition({"a.b-c/12", " { \"bound\" : 9, \"x\": \"y\", \"next\":4 }"});
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->first, (KafkaTopicPartition{"a.b-c", 12}));
  EXPECT_EQ(decoded->second.next, 4);
  EXPECT_EQ(decoded->second.bound, 9);
  EXPECT_FALSE(decoded->second.ended);
  decoded = DecodeKafkaPosition({"t/0", "{}"});
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->second.next, -1);

  for (const auto& [stream, state] :
       std::vector<std::pair<std::string, std::string>>{{"orders", "{}"},
                                                        {"orders/x", "{}"},
                                                        {"/1", "{}"},
                                                        {"orders/1", "{\"next\":-3}"},
                                                        {"orders/1", "{\"next\":\"3\"}"},
                                                        {"orders/1", "{\"ended\":true}"},
                                                        {"orders/1", "{\"next\":3"},
                                                        {"orders/1", "file:/a"}}) {
    auto bad = DecodeKafkaPosition({stream, state});
    ASSERT_FALSE(bad.ok()) << stream << " " << state;
    EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(bad.status().message().find("stream '" + stream + "'"), std::string::npos)
        << bad.status().message();
  }
}

TEST(KafkaAssignmentTest, SortedOrderRoundRobinAndAppendOnlyDiscovery) {
  auto filter = KafkaTopicFilter::Make({}, "ev\\..*");
  ASSERT_TRUE(filter.ok());
  EXPECT_TRUE(filter->Matches("ev.a"));
  EXPECT_FALSE(filter->Matches("xev.a"));  // the whole name must match
  EXPECT_FALSE(filter->Matches("ev"));
  EXPECT_FALSE(KafkaTopicFilter::Make({}, ".*")->Matches("__consumer_offsets"));
  EXPECT_FALSE(KafkaTopicFilter::Make({}, "(").ok());

  KafkaPartitionOrder order;
  EXPECT_EQ(order.Merge(filter->Select({{"ev.b", {0, 1}}, {"ev.a", {1, 0}}, {"other", {0}}})), 4u);
  using TP = KafkaTopicPartition;
  EXPECT_EQ(order.Owned(0, 3), (std::vector<TP>{{"ev.a", 0}, {"ev.b", 1}}));
  EXPECT_EQ(order.Owned(1, 3), (std::vector<TP>{{"ev.a", 1}}));
  EXPECT_EQ(order.Owned(2, 3), (std::vector<TP>{{"ev.b", 0}}));
  // A new partition sorting before known ones is appended: nobody's partitions move.
  EXPECT_EQ(order.Merge({{"ev.a", 2}, {"ev.b", 0}, {"ev.0", 0}}), 2u);
  EXPECT_EQ(order.size(), 6u);
  size_t end = 0;
  EXPECT_EQ(order.Owned(0, 3, 4, &end), (std::vector<TP>{}));
  EXPECT_EQ(end, 6u);
  EXPECT_EQ(order.Owned(1, 3, 4), (std::vector<TP>{{"ev.0", 0}}));
  EXPECT_EQ(order.Owned(2, 3, 4), (std::vector<TP>{{"ev.a", 2}}));
}

// --- mock cluster ---

TEST(KafkaSourceCheckpointTest, StaticAssignmentCoversEveryPartitionOnce) {
  MockKafka kafka;
  kafka.CreateTopic("a", 3);
  kafka.CreateTopic("b", 2);
  for (int p = 0; p < 3; ++p) ProduceIds(kafka, "a", p, 2);
  for (int p = 0; p < 2; ++p) ProduceIds(kafka, "b", p, 2);
  const std::vector<std::string> sorted = {"a/0", "a/1", "a/2", "b/0", "b/1"};
  for (int n : {2, 3}) {
    JobRun run = StartRun(kafka.bootstraps(), "b;a", {{"scan.bounded.mode", "latest-offset"}}, n);
    ASSERT_TRUE(run.status.ok()) << run.status.ToString();
    ASSERT_EQ(run.readers.size(), static_cast<size_t>(n));
    PollRun(run, Never(), 30);
    ASSERT_TRUE(run.all_ended()) << n;
    std::set<std::string> covered;
    for (int k = 0; k < n; ++k) {
      std::vector<StreamPosition> positions = run.SnapshotOf(k);
      std::set<std::string> expected;
      for (size_t i = 0; i < sorted.size(); ++i) {
        if (static_cast<int>(i % n) == k) expected.insert(sorted[i]);
      }
      EXPECT_EQ(Streams(positions), expected) << "reader " << k << " of " << n;
      for (const auto& [stream, position] : ByStream(positions)) {
        EXPECT_TRUE(covered.insert(stream).second) << stream << " read by two readers";
        EXPECT_EQ(position.next, 2) << stream;
        EXPECT_EQ(position.bound, 2) << stream;
        EXPECT_TRUE(position.ended) << stream;
      }
      // Rows come from the reader's own partitions only.
      for (const std::string& row : run.polled[k].rows) {
        auto [topic, partition, offset] = ParseRow(row);
        EXPECT_TRUE(expected.count(KafkaStreamName(topic, partition))) << row;
      }
      // Stream names are stable: "topic/partition".
      for (int64_t stream : run.polled[k].row_streams) {
        EXPECT_TRUE(expected.count(run.readers[k]->StreamName(stream)))
            << run.readers[k]->StreamName(stream);
      }
    }
    EXPECT_EQ(covered.size(), sorted.size());
    ExpectExactlyOnce(
        run.records(),
        [] {
          std::set<Record> all = AllRecords("a", {{0, 2}, {1, 2}, {2, 2}});
          for (const Record& r : AllRecords("b", {{0, 2}, {1, 2}})) all.insert(r);
          return all;
        }(),
        "parallelism " + std::to_string(n));
    run.Close();
  }
  // No more readers than partitions.
  JobRun wide = StartRun(kafka.bootstraps(), "a", {{"scan.bounded.mode", "latest-offset"}}, 8);
  ASSERT_TRUE(wide.status.ok()) << wide.status.ToString();
  EXPECT_EQ(wide.readers.size(), 3u);
}

// Three runs at parallelism 2, 3 and 1, each restored from the previous one's snapshot: every
// record is read exactly once, and each snapshot's offsets match the rows handed out.
TEST(KafkaSourceCheckpointTest, RestoreAtAnotherParallelismReadsEveryRecordOnce) {
  MockKafka kafka;
  kafka.CreateTopic("orders", 4);
  for (int p = 0; p < 4; ++p) ProduceIds(kafka, "orders", p, 25);
  const std::set<Record> all = AllRecords("orders", {{0, 25}, {1, 25}, {2, 25}, {3, 25}});
  const Options options = {{"properties.group.id", "restore"}};

  JobRun first = StartRun(kafka.bootstraps(), "orders", options, 2);
  ASSERT_TRUE(first.status.ok()) << first.status.ToString();
  PollRun(first, RowsAtLeast(30), 30, /*max_rows=*/4);
  ASSERT_GE(first.rows(), 30u);
  std::vector<StreamPosition> one = first.Snapshot();
  ASSERT_EQ(Streams(one).size(), 4u);
  ExpectPositionsMatchRows(first.records(), one);
  first.Close();

  JobRun second = StartRun(kafka.bootstraps(), "orders", options, 3, &one);
  ASSERT_TRUE(second.status.ok()) << second.status.ToString();
  PollRun(second, RowsAtLeast(30), 30, /*max_rows=*/3);
  ASSERT_GE(second.rows(), 30u);
  std::vector<StreamPosition> two = second.Snapshot();
  ASSERT_EQ(Streams(two).size(), 4u);
  std::vector<Record> so_far = first.records();
  for (const Record& r : second.records()) so_far.push_back(r);
  ExpectPositionsMatchRows(so_far, two);
  second.Close();

  JobRun third = StartRun(kafka.bootstraps(), "orders", options, 1, &two);
  ASSERT_TRUE(third.status.ok()) << third.status.ToString();
  const size_t rest = all.size() - so_far.size();
  PollRun(third, RowsAtLeast(rest), 30);
  // Nothing more comes (no duplicates after a short wait).
  PollRun(third, Never(), 0.5);
  for (const Record& r : third.records()) so_far.push_back(r);
  ExpectExactlyOnce(so_far, all, "three runs");
  std::vector<StreamPosition> three = third.Snapshot();
  for (const auto& [stream, position] : ByStream(three)) EXPECT_EQ(position.next, 25) << stream;
  third.Close();
}

// A bounded job restored after more records arrived ends at the first run's end offsets.
TEST(KafkaSourceCheckpointTest, BoundedEndIsRestored) {
  MockKafka kafka;
  kafka.CreateTopic("orders", 2);
  for (int p = 0; p < 2; ++p) ProduceIds(kafka, "orders", p, 10);
  const Options options = {{"scan.bounded.mode", "latest-offset"}};

  JobRun first = StartRun(kafka.bootstraps(), "orders", options, 1);
  ASSERT_TRUE(first.status.ok()) << first.status.ToString();
  PollRun(first, RowsAtLeast(6), 30, /*max_rows=*/3);
  ASSERT_FALSE(first.all_ended());
  std::vector<StreamPosition> saved = first.Snapshot();
  for (const auto& [stream, position] : ByStream(saved)) {
    EXPECT_EQ(position.bound, 10) << stream;
    EXPECT_FALSE(position.ended) << stream;
  }
  ExpectPositionsMatchRows(first.records(), saved);
  first.Close();

  for (int p = 0; p < 2; ++p) ProduceIds(kafka, "orders", p, 5);  // beyond the saved end

  JobRun second = StartRun(kafka.bootstraps(), "orders", options, 2, &saved);
  ASSERT_TRUE(second.status.ok()) << second.status.ToString();
  PollRun(second, Never(), 30);
  ASSERT_TRUE(second.all_ended());
  std::vector<Record> records = first.records();
  for (const Record& r : second.records()) records.push_back(r);
  ExpectExactlyOnce(records, AllRecords("orders", {{0, 10}, {1, 10}}), "bounded");
  std::vector<StreamPosition> ended = second.Snapshot();
  for (const auto& [stream, position] : ByStream(ended)) {
    EXPECT_EQ(EncodeKafkaPosition(position), "{\"next\":10,\"bound\":10,\"ended\":true}");
  }
  second.Close();

  // Restoring ended partitions: the readers end at once, without rows.
  JobRun third = StartRun(kafka.bootstraps(), "orders", options, 2, &ended);
  ASSERT_TRUE(third.status.ok()) << third.status.ToString();
  PollRun(third, Never(), 10);
  EXPECT_TRUE(third.all_ended());
  EXPECT_EQ(third.rows(), 0u);
  for (const PolledRows& p : third.polled) EXPECT_TRUE(p.added.empty());
}

// Offsets reach the group only through NotifyCheckpointComplete (from another thread, as the
// coordinator's): neither the 5 s commits of group mode nor Close() commit anything.
TEST(KafkaSourceCheckpointTest, NotifyCheckpointCompleteCommitsTheSnapshotOffsets) {
  MockKafka kafka;
  kafka.CreateTopic("orders", 3);
  for (int p = 0; p < 3; ++p) ProduceIds(kafka, "orders", p, 20);
  JobRun run = StartRun(kafka.bootstraps(), "orders", {{"properties.group.id", "lag"}}, 2);
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  PollRun(run, RowsAtLeast(20), 30, /*max_rows=*/4);
  PollRun(run, Never(), 5.5, /*max_rows=*/1);  // past group mode's commit interval
  std::vector<StreamPosition> positions = run.Snapshot();
  EXPECT_EQ(Committed(kafka.bootstraps(), "lag", "orders", 3),
            (std::map<int32_t, int64_t>{{0, -1}, {1, -1}, {2, -1}}));

  Status notified;
  std::thread coordinator([&] { notified = run.source->NotifyCheckpointComplete(7, positions); });
  coordinator.join();
  ASSERT_TRUE(notified.ok()) << notified.ToString();
  std::map<int32_t, int64_t> expected;
  for (const auto& [stream, position] : ByStream(positions)) {
    expected[std::stoi(stream.substr(stream.find('/') + 1))] = position.next;
  }
  EXPECT_EQ(Committed(kafka.bootstraps(), "lag", "orders", 3), expected);

  PollRun(run, RowsAtLeast(60), 30);
  run.Close();
  EXPECT_EQ(Committed(kafka.bootstraps(), "lag", "orders", 3), expected);

  // A job started afresh from the group's offsets goes on after the checkpoint.
  JobRun fresh = StartRun(kafka.bootstraps(), "orders",
                          {{"properties.group.id", "lag"},
                           {"scan.startup.mode", "group-offsets"},
                           {"scan.bounded.mode", "latest-offset"}},
                          2);
  ASSERT_TRUE(fresh.status.ok()) << fresh.status.ToString();
  PollRun(fresh, Never(), 30);
  EXPECT_TRUE(fresh.all_ended());
  std::set<Record> rest;
  for (const auto& [partition, next] : expected) {
    for (int64_t o = next; o < 20; ++o) rest.insert({"orders", partition, o});
  }
  ExpectExactlyOnce(fresh.records(), rest, "from the group's offsets");

  // Without a configured group id there is nothing to commit to: a no-op.
  JobRun anonymous = StartRun(kafka.bootstraps(), "orders", {}, 1);
  ASSERT_TRUE(anonymous.status.ok());
  EXPECT_TRUE(anonymous.source->NotifyCheckpointComplete(1, positions).ok());
}

// A restored position outside the log (here: past its end, as after the topic was recreated;
// RealBroker covers retention) follows 'auto.offset.reset' and is counted, or fails for 'none'.
TEST(KafkaSourceCheckpointTest, OutOfRangeRestoredPositionFollowsAutoOffsetReset) {
  MockKafka kafka;
  kafka.CreateTopic("orders", 1);
  ProduceIds(kafka, "orders", 0, 5);
  const std::vector<StreamPosition> saved = {{"orders/0", "{\"next\":50}"}};

  JobRun earliest = StartRun(kafka.bootstraps(), "orders", {}, 1, &saved);
  ASSERT_TRUE(earliest.status.ok()) << earliest.status.ToString();
  PollRun(earliest, RowsAtLeast(5), 20);
  ExpectExactlyOnce(earliest.records(), AllRecords("orders", {{0, 5}}), "reset to earliest");
  EXPECT_EQ(earliest.kafka().positions_reset(), 1u);
  EXPECT_EQ(earliest.kafka().records_skipped_by_reset(), 0u);

  JobRun none =
      StartRun(kafka.bootstraps(), "orders", {{"properties.auto.offset.reset", "none"}}, 1, &saved);
  ASSERT_FALSE(none.status.ok());
  EXPECT_NE(none.status.message().find("orders[0]: the position restored from the checkpoint, "
                                       "50, is out of range: the log ends at 5"),
            std::string::npos)
      << none.status.message();
  EXPECT_NE(none.status.message().find("'properties.auto.offset.reset' is 'none'"),
            std::string::npos);

  // Positions of other tables' streams are not accepted silently.
  const std::vector<StreamPosition> foreign = {{"file:/a.json", "{\"offset\":3}"}};
  JobRun bad = StartRun(kafka.bootstraps(), "orders", {}, 1, &foreign);
  EXPECT_EQ(bad.status.code(), ErrorCode::kInvalidArgument) << bad.status.ToString();
}

// Partitions that appear later (a new topic matching the pattern) are taken by the rule over
// the appended order, by exactly one reader; the ones assigned before do not move.
TEST(KafkaSourceCheckpointTest, DiscoveredPartitionsAreAddedNeverMoved) {
  MockKafka kafka;
  kafka.CreateTopic("ev.b", 2);
  for (int p = 0; p < 2; ++p) ProduceIds(kafka, "ev.b", p, 3);
  JobRun run = StartRun(
      kafka.bootstraps(), "",
      {{"topic-pattern", "ev\\..*"}, {"scan.topic-partition-discovery.interval", "300 ms"}}, 2);
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  ASSERT_EQ(run.readers.size(), 2u);
  PollRun(run, RowsAtLeast(6), 20);
  EXPECT_EQ(Streams(run.SnapshotOf(0)), (std::set<std::string>{"ev.b/0"}));
  EXPECT_EQ(Streams(run.SnapshotOf(1)), (std::set<std::string>{"ev.b/1"}));

  // "ev.a" sorts first, yet is appended: order ev.b/0, ev.b/1, ev.a/0, ev.a/1, ev.a/2.
  kafka.CreateTopic("ev.a", 3);
  for (int p = 0; p < 3; ++p) ProduceIds(kafka, "ev.a", p, 2);
  PollRun(run, RowsAtLeast(12), 30);
  EXPECT_EQ(Streams(run.SnapshotOf(0)), (std::set<std::string>{"ev.b/0", "ev.a/0", "ev.a/2"}));
  EXPECT_EQ(Streams(run.SnapshotOf(1)), (std::set<std::string>{"ev.b/1", "ev.a/1"}));
  std::set<Record> all = AllRecords("ev.a", {{0, 2}, {1, 2}, {2, 2}});
  for (const Record& r : AllRecords("ev.b", {{0, 3}, {1, 3}})) all.insert(r);
  PollRun(run, Never(), 0.5);
  ExpectExactlyOnce(run.records(), all, "discovered");
  // The new partitions were announced before their rows (the watermark waits for them).
  EXPECT_EQ(run.polled[0].added.size(), 3u);
  EXPECT_EQ(run.polled[1].added.size(), 2u);
  run.Close();
}

TEST(KafkaSourceCheckpointTest, WithoutCheckpointingNothingChanges) {
  MockKafka kafka;
  kafka.CreateTopic("orders", 1);
  ProduceIds(kafka, "orders", 0, 2);
  Options options = {{"connector", "kafka"},
                     {"topic", "orders"},
                     {"properties.bootstrap.servers", kafka.bootstraps()},
                     {"format", "json"},
                     {"scan.startup.mode", "earliest-offset"},
                     {"properties.group.id", "plain"}};
  TableContext context =
      MakeContext(MakeTable("orders", Schema{{{"id", LogicalType::Bigint()}}}, options));
  auto source = kKafkaConnector.make_source(context);
  ASSERT_TRUE(source.ok());
  auto splits = (*source)->ListSplits(1);
  ASSERT_TRUE(splits.ok());
  auto reader = (*source)->CreateReader((*splits)[0]);
  ASSERT_TRUE(reader.ok());
  std::vector<StreamPosition> positions;
  EXPECT_EQ((*reader)->SnapshotPositions(&positions).code(), ErrorCode::kUnsupported);
  EXPECT_EQ((*reader)->RestorePositions({}).code(), ErrorCode::kUnsupported);
  EXPECT_TRUE((*source)->NotifyCheckpointComplete(1, {{"orders/0", "{\"next\":1}"}}).ok());
  EXPECT_EQ(Committed(kafka.bootstraps(), "plain", "orders", 1),
            (std::map<int32_t, int64_t>{{0, -1}}));
  // And checkpointing cannot be switched on once the splits are listed.
  EXPECT_FALSE((*source)->EnableCheckpointing().ok());
}

// --- the real broker (scripts/services.sh up kafka) ---

/// The broker of scripts/services.sh, or SLUICE_TEST_KAFKA; an admin/producer client on it.
class RealKafka {
 public:
  RealKafka() {
    const char* env = std::getenv("SLUICE_TEST_KAFKA");
    bootstraps_ = env ? env : "127.0.0.1:9092";
    char error[256];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstraps_.c_str(), error, sizeof(error));
    rd_kafka_conf_set(conf, "linger.ms", "0", error, sizeof(error));
    rd_kafka_conf_set_log_cb(conf, [](const rd_kafka_t*, int, const char*, const char*) {});
    client_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
    EXPECT_NE(client_, nullptr) << error;
  }
  ~RealKafka() {
    for (const std::string& topic : created_) DeleteTopic(topic);
    if (client_) rd_kafka_destroy(client_);
  }

  const std::string& bootstraps() const { return bootstraps_; }

  /// Empty when the broker answers; else why not.
  std::string Reachable() {
    if (!client_) return "cannot create a client";
    const rd_kafka_metadata_t* metadata = nullptr;
    rd_kafka_resp_err_t err = rd_kafka_metadata(client_, 0, nullptr, &metadata, 5000);
    if (err) {
      return "Kafka at " + bootstraps_ + " did not answer within 5 s (" + rd_kafka_err2str(err) +
             "): start it with `bash scripts/services.sh up kafka`, or set SLUICE_TEST_KAFKA";
    }
    rd_kafka_metadata_destroy(metadata);
    return "";
  }

  /// A topic named uniquely for this run; waits until the metadata shows all its partitions.
  std::string CreateTopic(const std::string& prefix, int partitions) {
    const std::string topic = prefix + "-" + std::to_string(getpid()) + "-" +
                              std::to_string(std::chrono::system_clock::now().time_since_epoch() /
                                             std::chrono::milliseconds(1));
    char error[256];
    rd_kafka_NewTopic_t* spec =
        rd_kafka_NewTopic_new(topic.c_str(), partitions, 1, error, sizeof(error));
    EXPECT_NE(spec, nullptr) << error;
    rd_kafka_queue_t* queue = rd_kafka_queue_new(client_);
    rd_kafka_CreateTopics(client_, &spec, 1, nullptr, queue);
    rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 15000);
    EXPECT_NE(event, nullptr) << "no answer to CreateTopics";
    if (event) {
      size_t n = 0;
      const rd_kafka_topic_result_t** results =
          rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &n);
      EXPECT_EQ(n, 1u);
      if (n == 1) {
        EXPECT_EQ(rd_kafka_topic_result_error(results[0]), RD_KAFKA_RESP_ERR_NO_ERROR)
            << rd_kafka_topic_result_error_string(results[0]);
      }
      rd_kafka_event_destroy(event);
    }
    rd_kafka_queue_destroy(queue);
    rd_kafka_NewTopic_destroy(spec);
    created_.push_back(topic);
    const auto deadline = Clock::now() + std::chrono::seconds(15);
    while (Clock::now() < deadline && PartitionCount(topic) != partitions) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(PartitionCount(topic), partitions) << topic;
    return topic;
  }

  void Produce(const std::string& topic, int32_t partition, int count) {
    for (int i = 0; i < count; ++i) {
      std::string value = "{\"id\": " + std::to_string(i) + "}";
      rd_kafka_resp_err_t err = rd_kafka_producev(
          client_, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_VALUE(value.data(), value.size()),
          RD_KAFKA_V_END);
      ASSERT_EQ(err, RD_KAFKA_RESP_ERR_NO_ERROR) << rd_kafka_err2str(err);
    }
    ASSERT_EQ(rd_kafka_flush(client_, 15000), RD_KAFKA_RESP_ERR_NO_ERROR);
  }

  /// Deletes the records of topic[partition] before `offset` (what retention does).
  void DeleteRecordsBefore(const std::string& topic, int32_t partition, int64_t offset) {
    rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(list, topic.c_str(), partition)->offset = offset;
    rd_kafka_DeleteRecords_t* del = rd_kafka_DeleteRecords_new(list);
    rd_kafka_topic_partition_list_destroy(list);
    rd_kafka_queue_t* queue = rd_kafka_queue_new(client_);
    rd_kafka_DeleteRecords(client_, &del, 1, nullptr, queue);
    rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 15000);
    ASSERT_NE(event, nullptr) << "no answer to DeleteRecords";
    EXPECT_EQ(rd_kafka_event_error(event), RD_KAFKA_RESP_ERR_NO_ERROR)
        << rd_kafka_event_error_string(event);
    const rd_kafka_topic_partition_list_t* result =
        rd_kafka_DeleteRecords_result_offsets(rd_kafka_event_DeleteRecords_result(event));
    ASSERT_TRUE(result && result->cnt == 1);
    EXPECT_EQ(result->elems[0].err, RD_KAFKA_RESP_ERR_NO_ERROR);
    EXPECT_EQ(result->elems[0].offset, offset);  // the new log start
    rd_kafka_event_destroy(event);
    rd_kafka_queue_destroy(queue);
    rd_kafka_DeleteRecords_destroy(del);
  }

 private:
  int PartitionCount(const std::string& topic) {
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(client_, topic.c_str(), nullptr);
    const rd_kafka_metadata_t* metadata = nullptr;
    int count = -1;
    if (rd_kafka_metadata(client_, 0, rkt, &metadata, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (metadata->topic_cnt == 1 && !metadata->topics[0].err) {
        count = metadata->topics[0].partition_cnt;
      }
      rd_kafka_metadata_destroy(metadata);
    }
    rd_kafka_topic_destroy(rkt);
    return count;
  }

  void DeleteTopic(const std::string& topic) {
    rd_kafka_DeleteTopic_t* del = rd_kafka_DeleteTopic_new(topic.c_str());
    rd_kafka_queue_t* queue = rd_kafka_queue_new(client_);
    rd_kafka_DeleteTopics(client_, &del, 1, nullptr, queue);
    rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 10000);
    if (event) rd_kafka_event_destroy(event);
    rd_kafka_queue_destroy(queue);
    rd_kafka_DeleteTopic_destroy(del);
  }

  std::string bootstraps_;
  rd_kafka_t* client_ = nullptr;
  std::vector<std::string> created_;
};

TEST(KafkaSourceCheckpointTest, RealBrokerExactlyOnceAcrossARestoreAndCommittedOffsets) {
  RealKafka kafka;
  const std::string unreachable = kafka.Reachable();
  ASSERT_TRUE(unreachable.empty()) << unreachable;
  const std::string topic = kafka.CreateTopic("sluice-ckpt-source", 3);
  for (int p = 0; p < 3; ++p) kafka.Produce(topic, p, 40);
  const std::string group = topic + "-group";
  const Options options = {{"properties.group.id", group}};
  const std::set<Record> all = AllRecords(topic, {{0, 40}, {1, 40}, {2, 40}});

  JobRun first = StartRun(kafka.bootstraps(), topic, options, 2);
  ASSERT_TRUE(first.status.ok()) << first.status.ToString();
  PollRun(first, RowsAtLeast(60), 60, /*max_rows=*/5);
  ASSERT_GE(first.rows(), 60u);
  std::vector<StreamPosition> saved = first.Snapshot();
  ASSERT_EQ(Streams(saved).size(), 3u);
  ExpectPositionsMatchRows(first.records(), saved);
  ASSERT_TRUE(first.source->NotifyCheckpointComplete(1, saved).ok());
  std::map<int32_t, int64_t> expected;
  for (const auto& [stream, position] : ByStream(saved)) {
    expected[std::stoi(stream.substr(stream.rfind('/') + 1))] = position.next;
  }
  EXPECT_EQ(Committed(kafka.bootstraps(), group, topic, 3), expected);
  first.Close();

  JobRun second = StartRun(kafka.bootstraps(), topic, options, 3, &saved);
  ASSERT_TRUE(second.status.ok()) << second.status.ToString();
  PollRun(second, RowsAtLeast(all.size() - first.rows()), 60);
  PollRun(second, Never(), 1);
  std::vector<Record> records = first.records();
  for (const Record& r : second.records()) records.push_back(r);
  ExpectExactlyOnce(records, all, "real broker");
  std::vector<StreamPosition> done = second.Snapshot();
  ASSERT_TRUE(second.source->NotifyCheckpointComplete(2, done).ok());
  EXPECT_EQ(Committed(kafka.bootstraps(), group, topic, 3),
            (std::map<int32_t, int64_t>{{0, 40}, {1, 40}, {2, 40}}));
  second.Close();
}

TEST(KafkaSourceCheckpointTest, RealBrokerPositionDeletedByRetentionIsReported) {
  RealKafka kafka;
  const std::string unreachable = kafka.Reachable();
  ASSERT_TRUE(unreachable.empty()) << unreachable;
  const std::string topic = kafka.CreateTopic("sluice-ckpt-retention", 1);
  kafka.Produce(topic, 0, 10);
  const std::vector<StreamPosition> saved = {{KafkaStreamName(topic, 0), "{\"next\":2}"}};
  kafka.DeleteRecordsBefore(topic, 0, 6);

  JobRun none =
      StartRun(kafka.bootstraps(), topic, {{"properties.auto.offset.reset", "none"}}, 1, &saved);
  ASSERT_FALSE(none.status.ok());
  EXPECT_NE(none.status.message().find("offsets 2..5 were deleted (retention) before they were "
                                       "read; the log starts at 6"),
            std::string::npos)
      << none.status.message();

  JobRun earliest = StartRun(kafka.bootstraps(), topic, {}, 1, &saved);
  ASSERT_TRUE(earliest.status.ok()) << earliest.status.ToString();
  PollRun(earliest, RowsAtLeast(4), 30);
  PollRun(earliest, Never(), 0.5);
  ExpectExactlyOnce(earliest.records(),
                    {{topic, 0, 6}, {topic, 0, 7}, {topic, 0, 8}, {topic, 0, 9}},
                    "after retention");
  EXPECT_EQ(earliest.kafka().positions_reset(), 1u);
  EXPECT_EQ(earliest.kafka().records_skipped_by_reset(), 4u);
}

}  // namespace
}  // namespace sluice
