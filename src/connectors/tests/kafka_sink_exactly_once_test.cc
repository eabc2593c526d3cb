// The exactly-once Kafka sink against a real broker (Kafka 3.9.1 on 127.0.0.1:9092, started with
// `bash scripts/services.sh up kafka`): epoch logs, transactional commits with the checkpoint
// marker, idempotent repeats, recovery after crashes and the refusal to write twice. These tests
// fail (they never skip) when the broker is down. Topic and transactional id names are unique per
// run.

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "connectors/kafka/kafka_connector.h"
#include "connectors/kafka/kafka_epoch_log.h"
#include "connectors/kafka/kafka_transaction_committer.h"
#include "connectors/tests/kafka_test_util.h"
#include "connectors/tests/test_tables.h"

extern char** environ;

namespace sluice {
namespace {

using testing::KafkaMessage;
using testing::MakeContext;
using testing::MakeTable;
using testing::MockKafka;
using testing::TempDir;
using Clock = std::chrono::steady_clock;

constexpr char kBroker[] = "127.0.0.1:9092";

std::string Unique(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + "-" + std::to_string(::getpid()) + "-" +
         std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000000) +
         "-" + std::to_string(counter++);
}

void SetConf(rd_kafka_conf_t* conf, const char* key, const std::string& value) {
  char error[256];
  ASSERT_EQ(rd_kafka_conf_set(conf, key, value.c_str(), error, sizeof(error)), RD_KAFKA_CONF_OK)
      << error;
}

rd_kafka_conf_t* Conf() {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  SetConf(conf, "bootstrap.servers", kBroker);
  rd_kafka_conf_set_log_cb(conf, [](const rd_kafka_t*, int, const char*, const char*) {});
  return conf;
}

// Creates `topic` (auto-creation is off on the test broker); fails the test when the broker is
// unreachable.
void CreateTopic(const std::string& topic, int partitions) {
  char error[256];
  rd_kafka_t* admin = rd_kafka_new(RD_KAFKA_PRODUCER, Conf(), error, sizeof(error));
  ASSERT_NE(admin, nullptr) << error;
  rd_kafka_NewTopic_t* request =
      rd_kafka_NewTopic_new(topic.c_str(), partitions, 1, error, sizeof(error));
  rd_kafka_queue_t* queue = rd_kafka_queue_new(admin);
  rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(admin, RD_KAFKA_ADMIN_OP_ANY);
  rd_kafka_AdminOptions_set_request_timeout(options, 15000, error, sizeof(error));
  rd_kafka_CreateTopics(admin, &request, 1, options, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 20000);
  std::string failure;
  if (!event) {
    failure = "no answer within 20 s";
  } else if (rd_kafka_event_error(event)) {
    failure = rd_kafka_event_error_string(event);
  } else {
    size_t n = 0;
    const rd_kafka_topic_result_t** results =
        rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &n);
    if (n != 1 || rd_kafka_topic_result_error(results[0])) {
      failure = n ? rd_kafka_topic_result_error_string(results[0]) : "no result";
    }
  }
  if (event) rd_kafka_event_destroy(event);
  rd_kafka_AdminOptions_destroy(options);
  rd_kafka_queue_destroy(queue);
  rd_kafka_NewTopic_destroy(request);
  rd_kafka_destroy(admin);
  ASSERT_EQ(failure, "") << "cannot create topic '" << topic << "' on " << kBroker
                         << " (is the broker up? bash scripts/services.sh up kafka)";
}

// Every message of `topic` up to its end; under read_committed the end is the last stable offset,
// so an open transaction's messages are never seen. Waits at most 20 s.
std::vector<KafkaMessage> ReadTopic(const std::string& topic, int partitions, bool committed) {
  char error[256];
  rd_kafka_conf_t* conf = Conf();
  SetConf(conf, "group.id", Unique("reader"));
  SetConf(conf, "enable.partition.eof", "true");
  SetConf(conf, "enable.auto.commit", "false");
  SetConf(conf, "isolation.level", committed ? "read_committed" : "read_uncommitted");
  rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof(error));
  EXPECT_NE(consumer, nullptr) << error;
  std::vector<KafkaMessage> out;
  if (!consumer) return out;
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(partitions);
  for (int p = 0; p < partitions; ++p) {
    rd_kafka_topic_partition_list_add(list, topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
  }
  rd_kafka_assign(consumer, list);
  rd_kafka_topic_partition_list_destroy(list);
  std::set<int32_t> ended;
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (static_cast<int>(ended.size()) < partitions && Clock::now() < deadline) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer, 100);
    if (!m) continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      ended.insert(m->partition);
    } else if (!m->err) {
      KafkaMessage message;
      message.partition = m->partition;
      message.offset = m->offset;
      if (m->key) message.key = std::string(static_cast<const char*>(m->key), m->key_len);
      if (m->payload) message.value = std::string(static_cast<const char*>(m->payload), m->len);
      out.push_back(std::move(message));
    }
    rd_kafka_message_destroy(m);
  }
  EXPECT_EQ(static_cast<int>(ended.size()), partitions) << "timed out reading " << topic;
  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);
  return out;
}

// The values read, sorted (order across partitions is not defined).
std::vector<std::string> Values(const std::vector<KafkaMessage>& messages) {
  std::vector<std::string> out;
  for (const KafkaMessage& m : messages) out.push_back(m.value.value_or("<tombstone>"));
  std::sort(out.begin(), out.end());
  return out;
}

Schema Events() {
  return Schema{{{"id", LogicalType::Bigint()}, {"name", LogicalType::Varchar()}}};
}

Batch Rows(int64_t first, int64_t last, const std::string& name) {
  BatchBuilder builder(Events());
  for (int64_t id = first; id <= last; ++id) {
    builder.AppendRow({Value::Bigint(id), Value::Varchar(name)});
  }
  return builder.Finish();
}

// What a read of Rows(first, last, name) gives, sorted.
std::vector<std::string> Expected(std::vector<std::tuple<int64_t, int64_t, std::string>> ranges) {
  std::vector<std::string> out;
  for (const auto& [first, last, name] : ranges) {
    for (int64_t id = first; id <= last; ++id) {
      out.push_back("{\"id\":" + std::to_string(id) + ",\"name\":\"" + name + "\"}");
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// One exactly-once sink of a job that checkpoints into `state_dir`.
struct Job {
  std::string topic;
  std::string prefix;
  std::string state_dir;
  std::string uid = "0123456789abcdef";
  Options extra;

  Result<std::unique_ptr<Sink>> MakeSink(bool checkpointing = true) const {
    Options options = {{"connector", "kafka"},
                       {"topic", topic},
                       {"properties.bootstrap.servers", kBroker},
                       {"key.format", "raw"},
                       {"key.fields", "name"},
                       {"format", "json"},
                       {"sink.delivery-guarantee", "exactly-once"},
                       {"sink.commit.timeout", "60 s"}};
    if (!prefix.empty()) options["sink.transactional-id-prefix"] = prefix;
    for (const auto& [k, v] : extra) options[k] = v;
    auto table = MakeTable("events_out", Events(), options);
    SLUICE_ASSIGN_OR_RETURN(auto sink, kKafkaConnector.make_sink(MakeContext(table)));
    if (checkpointing) {
      SLUICE_RETURN_IF_ERROR(
          sink->EnableCheckpointing(SinkCheckpointing{"pipe", uid, state_dir, Unique("run")}));
    }
    return sink;
  }

  std::string WriterDir(int writer) const {
    return KafkaSinkStateDir(state_dir, uid) + "/" + std::to_string(writer);
  }
};

std::unique_ptr<SinkWriter> OpenWriter(Sink& sink, int instance, int parallelism) {
  auto writer = sink.CreateWriter(instance, parallelism);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  if (!writer.ok()) return nullptr;
  Status open = (*writer)->Open();
  EXPECT_TRUE(open.ok()) << open.ToString();
  return open.ok() ? std::move(writer).value() : nullptr;
}

std::unique_ptr<SinkCommitter> MakeCommitter(Sink& sink) {
  auto committer = sink.CreateCommitter();
  EXPECT_TRUE(committer.ok()) << committer.status().ToString();
  if (!committer.ok()) return nullptr;
  EXPECT_NE(*committer, nullptr);
  return std::move(committer).value();
}

Committable PreCommit(SinkWriter& writer, int index, CheckpointId id) {
  auto data = writer.PreCommit(id);
  EXPECT_TRUE(data.ok()) << data.status().ToString();
  return Committable{index, id, data.ok() ? *data : std::string()};
}

class KafkaSinkExactlyOnceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    job_.topic = Unique("eos");
    job_.prefix = Unique("eos-tid");
    job_.state_dir = dir_.path().string();
    CreateTopic(job_.topic, kPartitions);
  }
  static constexpr int kPartitions = 3;
  TempDir dir_;
  Job job_;
};

// Risk 2 of the design: a transactional offset commit for a group that never had a member
// (generation -1) is accepted, and reads back as a stable offset under read_committed; an
// offset inside an open transaction is not returned until the transaction ends.
TEST_F(KafkaSinkExactlyOnceTest, MarkerIsATransactionalOffsetOfAMemberlessGroup) {
  char error[256];
  rd_kafka_conf_t* conf = Conf();
  const std::string tid = job_.prefix + "-marker";
  const std::string group = tid + ".ckpt";
  SetConf(conf, "transactional.id", tid);
  rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
  ASSERT_NE(producer, nullptr) << error;
  auto check = [](rd_kafka_error_t* e, const char* what) {
    std::string message = e ? rd_kafka_error_string(e) : "";
    if (e) rd_kafka_error_destroy(e);
    EXPECT_EQ(message, "") << what;
    return message.empty();
  };
  auto commit_marker = [&](int64_t marker, bool commit) {
    if (!check(rd_kafka_begin_transaction(producer), "begin")) return;
    rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(job_.topic.c_str()), RD_KAFKA_V_PARTITION(0),
                      RD_KAFKA_V_VALUE(const_cast<char*>("m"), 1), RD_KAFKA_V_END);
    rd_kafka_topic_partition_list_t* offsets = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(offsets, job_.topic.c_str(), 0)->offset = marker;
    rd_kafka_consumer_group_metadata_t* metadata =
        rd_kafka_consumer_group_metadata_new(group.c_str());
    check(rd_kafka_send_offsets_to_transaction(producer, offsets, metadata, 30000), "offsets");
    rd_kafka_consumer_group_metadata_destroy(metadata);
    rd_kafka_topic_partition_list_destroy(offsets);
    if (commit) check(rd_kafka_commit_transaction(producer, 30000), "commit");
  };
  auto read_marker = [&](int timeout_ms, rd_kafka_resp_err_t* err) {
    rd_kafka_conf_t* c = Conf();
    SetConf(c, "group.id", group);
    SetConf(c, "isolation.level", "read_committed");
    rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, c, error, sizeof(error));
    rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(list, job_.topic.c_str(), 0);
    *err = rd_kafka_committed(consumer, list, timeout_ms);
    int64_t offset = list->elems[0].offset;
    rd_kafka_topic_partition_list_destroy(list);
    rd_kafka_destroy(consumer);
    return offset;
  };
  ASSERT_TRUE(check(rd_kafka_init_transactions(producer, 30000), "init"));
  rd_kafka_resp_err_t err;
  EXPECT_EQ(read_marker(30000, &err), RD_KAFKA_OFFSET_INVALID);  // nothing committed yet
  EXPECT_EQ(err, RD_KAFKA_RESP_ERR_NO_ERROR);
  commit_marker(7, true);
  EXPECT_EQ(read_marker(30000, &err), 7);
  EXPECT_EQ(err, RD_KAFKA_RESP_ERR_NO_ERROR) << rd_kafka_err2str(err);
  commit_marker(8, true);
  EXPECT_EQ(read_marker(30000, &err), 8);
  // Open transaction moving the marker to 9: never visible; read_committed waits for the end.
  commit_marker(9, false);
  EXPECT_NE(read_marker(3000, &err), 9);
  EXPECT_EQ(err, RD_KAFKA_RESP_ERR__TIMED_OUT) << rd_kafka_err2str(err);
  check(rd_kafka_abort_transaction(producer, 30000), "abort");
  EXPECT_EQ(read_marker(30000, &err), 8);
  rd_kafka_destroy(producer);
  // Only the two committed marker messages are visible.
  EXPECT_EQ(ReadTopic(job_.topic, kPartitions, true).size(), 2u);
}

TEST_F(KafkaSinkExactlyOnceTest, TwoWritersTwoEpochsEachRowOnceAndOnlyAfterCommit) {
  auto sink = job_.MakeSink();
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  auto w0 = OpenWriter(**sink, 0, 2);
  auto w1 = OpenWriter(**sink, 1, 2);
  auto committer = MakeCommitter(**sink);
  ASSERT_TRUE(w0 && w1 && committer);
  ASSERT_TRUE(committer->Recover(0, {}).ok());

  ASSERT_TRUE(w0->Write(Rows(1, 50, "a")).ok());
  ASSERT_TRUE(w1->Write(Rows(51, 100, "b")).ok());
  ASSERT_TRUE(w0->Flush().ok());  // flushing makes nothing visible
  std::vector<Committable> epoch1 = {PreCommit(*w0, 0, 1), PreCommit(*w1, 1, 1)};
  ASSERT_TRUE(w0->Write(Rows(101, 120, "c")).ok());
  std::vector<Committable> epoch2 = {PreCommit(*w0, 0, 2), PreCommit(*w1, 1, 2)};
  EXPECT_EQ(epoch2[1].data, "");  // writer 1 had an empty epoch
  EXPECT_NE(epoch1[0].data.find("tid=" + job_.prefix + "-0\npath=0/1.log\nrecords=50\n"),
            std::string::npos)
      << epoch1[0].data;
  EXPECT_TRUE(std::filesystem::exists(job_.WriterDir(0) + "/1.log"));
  EXPECT_TRUE(std::filesystem::exists(job_.WriterDir(0) + "/2.log"));
  EXPECT_TRUE(ReadTopic(job_.topic, kPartitions, true).empty());  // staged, not produced

  Status s = committer->Commit(1, epoch1);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Values(ReadTopic(job_.topic, kPartitions, true)),
            Expected({{1, 50, "a"}, {51, 100, "b"}}));
  EXPECT_FALSE(std::filesystem::exists(job_.WriterDir(0) + "/1.log"));
  EXPECT_FALSE(std::filesystem::exists(job_.WriterDir(1) + "/1.log"));
  s = committer->Commit(2, epoch2);
  ASSERT_TRUE(s.ok()) << s.ToString();
  // Repeats (the committer thread after a hiccup) change nothing.
  ASSERT_TRUE(committer->Commit(2, epoch2).ok());
  ASSERT_TRUE(committer->Commit(1, epoch1).ok());

  std::vector<KafkaMessage> got = ReadTopic(job_.topic, kPartitions, true);
  EXPECT_EQ(Values(got), Expected({{1, 50, "a"}, {51, 100, "b"}, {101, 120, "c"}}));
  for (const KafkaMessage& m : got) {
    ASSERT_TRUE(m.key);  // the default partitioner: murmur2 of the key, as without transactions
    EXPECT_EQ(m.partition, rd_kafka_msg_partitioner_murmur2(nullptr, m.key->data(), m.key->size(),
                                                            kPartitions, nullptr, nullptr));
  }
  EXPECT_FALSE(std::filesystem::exists(job_.WriterDir(0) + "/2.log"));
  ASSERT_TRUE(w0->Close().ok());
  ASSERT_TRUE(w1->Close().ok());

  // A new process resuming from checkpoint 2 commits nothing again.
  auto again = job_.MakeSink();
  ASSERT_TRUE(again.ok());
  auto recovered = MakeCommitter(**again);
  s = recovered->Recover(2, epoch2);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(recovered->Commit(2, epoch2).ok());
  EXPECT_EQ(ReadTopic(job_.topic, kPartitions, true).size(), 120u);
}

// A committer that stops after producing (as a process dying before commit_transaction): the
// rows stay invisible to read_committed readers; the next process's Recover() aborts the
// leftover transaction and produces the epoch once.
TEST_F(KafkaSinkExactlyOnceTest, CommitterDiesBeforeCommitThenRecoverIsExactlyOnce) {
  auto sink = job_.MakeSink();
  ASSERT_TRUE(sink.ok());
  auto writer = OpenWriter(**sink, 0, 1);
  auto committer = MakeCommitter(**sink);
  ASSERT_TRUE(writer && committer);
  ASSERT_TRUE(committer->Recover(0, {}).ok());
  ASSERT_TRUE(writer->Write(Rows(1, 10, "a")).ok());
  Committable c1 = PreCommit(*writer, 0, 1);
  ASSERT_TRUE(writer->Write(Rows(11, 30, "b")).ok());
  Committable c2 = PreCommit(*writer, 0, 2);
  ASSERT_TRUE(committer->Commit(1, {c1}).ok());

  auto* kafka = static_cast<KafkaTransactionCommitter*>(committer.get());
  kafka->set_interrupt_for_testing([](std::string_view point) {
    return point == "kafka-before-commit-transaction" ? Status::Cancelled("killed") : Status::OK();
  });
  Status s = committer->Commit(2, {c2});
  EXPECT_EQ(s.code(), ErrorCode::kCancelled) << s.ToString();
  // Produced into the open transaction: read_uncommitted sees it, read_committed does not.
  EXPECT_EQ(ReadTopic(job_.topic, kPartitions, false).size(), 30u);
  EXPECT_EQ(Values(ReadTopic(job_.topic, kPartitions, true)), Expected({{1, 10, "a"}}));
  committer.reset();  // the process is gone; its transaction stays open on the broker
  ASSERT_TRUE(writer->Close().ok());

  auto restarted = job_.MakeSink();
  ASSERT_TRUE(restarted.ok());
  auto recovered = MakeCommitter(**restarted);
  s = recovered->Recover(2, {c2});
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Values(ReadTopic(job_.topic, kPartitions, true)),
            Expected({{1, 10, "a"}, {11, 30, "b"}}));
  EXPECT_FALSE(std::filesystem::exists(job_.WriterDir(0) + "/2.log"));
  ASSERT_TRUE(recovered->Commit(2, {c2}).ok());  // the committer thread's repeat
  EXPECT_EQ(ReadTopic(job_.topic, kPartitions, true).size(), 30u);
}

// Dying between commit_transaction and deleting the log: the marker says the epoch is done.
TEST_F(KafkaSinkExactlyOnceTest, CommitterDiesAfterCommitThenRecoverDoesNotRepeat) {
  auto sink = job_.MakeSink();
  ASSERT_TRUE(sink.ok());
  auto writer = OpenWriter(**sink, 0, 1);
  auto committer = MakeCommitter(**sink);
  ASSERT_TRUE(writer && committer);
  ASSERT_TRUE(committer->Recover(0, {}).ok());
  ASSERT_TRUE(writer->Write(Rows(1, 10, "a")).ok());
  Committable c1 = PreCommit(*writer, 0, 1);
  static_cast<KafkaTransactionCommitter*>(committer.get())
      ->set_interrupt_for_testing([](std::string_view point) {
        return point == "kafka-after-commit-before-log-delete" ? Status::Cancelled("killed")
                                                               : Status::OK();
      });
  EXPECT_EQ(committer->Commit(1, {c1}).code(), ErrorCode::kCancelled);
  committer.reset();
  EXPECT_TRUE(std::filesystem::exists(job_.WriterDir(0) + "/1.log"));
  auto restarted = job_.MakeSink();
  auto recovered = MakeCommitter(**restarted);
  Status s = recovered->Recover(1, {c1});
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_FALSE(std::filesystem::exists(job_.WriterDir(0) + "/1.log"));
  EXPECT_EQ(Values(ReadTopic(job_.topic, kPartitions, true)), Expected({{1, 10, "a"}}));
  ASSERT_TRUE(writer->Close().ok());
}

TEST_F(KafkaSinkExactlyOnceTest, MarkerAboveTheRestoredCheckpointIsRefused) {
  auto sink = job_.MakeSink();
  ASSERT_TRUE(sink.ok());
  auto writer = OpenWriter(**sink, 0, 1);
  auto committer = MakeCommitter(**sink);
  ASSERT_TRUE(committer->Recover(0, {}).ok());
  std::vector<Committable> staged;
  for (CheckpointId id = 1; id <= 3; ++id) {
    ASSERT_TRUE(writer->Write(Rows(id, id, "x")).ok());
    staged.push_back(PreCommit(*writer, 0, id));
    ASSERT_TRUE(committer->Commit(id, {staged.back()}).ok());
  }
  ASSERT_TRUE(writer->Close().ok());
  committer.reset();

  auto restarted = job_.MakeSink();
  auto recovered = MakeCommitter(**restarted);
  Status s = recovered->Recover(1, {staged[0]});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("restoring checkpoint 1 would write checkpoints 2..3 twice"),
            std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("'" + job_.prefix + "-0'"), std::string::npos) << s.message();
  // Starting over without a checkpoint would repeat everything (and ids would restart at 1).
  auto fresh = MakeCommitter(**restarted);
  s = fresh->Recover(0, {});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("starting without a checkpoint would write checkpoints 1..3 twice"),
            std::string::npos)
      << s.message();
  // The newest checkpoint is fine.
  auto newest = MakeCommitter(**restarted);
  s = newest->Recover(3, {staged[2]});
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(ReadTopic(job_.topic, kPartitions, true).size(), 3u);
}

// A producer fenced by another instance of its transactional id fails fatally: the committer
// takes a new producer and replays the log, within 'sink.commit.timeout'.
TEST_F(KafkaSinkExactlyOnceTest, FencedProducerIsReplacedAndTheLogReplayed) {
  auto sink = job_.MakeSink();
  auto writer = OpenWriter(**sink, 0, 1);
  auto committer = MakeCommitter(**sink);
  ASSERT_TRUE(writer && committer);
  ASSERT_TRUE(committer->Recover(0, {}).ok());
  ASSERT_TRUE(writer->Write(Rows(1, 10, "a")).ok());
  ASSERT_TRUE(committer->Commit(1, {PreCommit(*writer, 0, 1)}).ok());
  ASSERT_TRUE(writer->Write(Rows(11, 20, "b")).ok());
  Committable c2 = PreCommit(*writer, 0, 2);
  {
    // Another producer of the same id (a second process by mistake) fences the committer's.
    char error[256];
    rd_kafka_conf_t* conf = Conf();
    SetConf(conf, "transactional.id", job_.prefix + "-0");
    rd_kafka_t* other = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
    ASSERT_NE(other, nullptr) << error;
    rd_kafka_error_t* init = rd_kafka_init_transactions(other, 30000);
    EXPECT_EQ(init, nullptr) << rd_kafka_error_string(init);
    if (init) rd_kafka_error_destroy(init);
    rd_kafka_destroy(other);
  }
  Status s = committer->Commit(2, {c2});
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Values(ReadTopic(job_.topic, kPartitions, true)),
            Expected({{1, 10, "a"}, {11, 20, "b"}}));
  ASSERT_TRUE(writer->Close().ok());
}

// A writer whose id another run already moved past this run's epochs: refused, never skipped.
TEST_F(KafkaSinkExactlyOnceTest, ForeignMarkerAtFirstCommitIsRefused) {
  {
    auto sink = job_.MakeSink();
    auto writer = OpenWriter(**sink, 0, 1);
    auto committer = MakeCommitter(**sink);
    ASSERT_TRUE(writer->Write(Rows(1, 1, "x")).ok());
    ASSERT_TRUE(committer->Commit(5, {PreCommit(*writer, 0, 5)}).ok());
    ASSERT_TRUE(writer->Close().ok());
  }
  TempDir other;
  Job job = job_;
  job.state_dir = other.path().string();  // a new checkpoint directory, the same prefix
  auto sink = job.MakeSink();
  auto writer = OpenWriter(**sink, 0, 1);
  auto committer = MakeCommitter(**sink);
  ASSERT_TRUE(writer->Write(Rows(2, 2, "y")).ok());
  Status s = committer->Commit(1, {PreCommit(*writer, 0, 1)});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("already committed checkpoint 5 in another run"), std::string::npos)
      << s.message();
  ASSERT_TRUE(writer->Close().ok());
}

// Restoring checkpoint 2 of a run that staged 1..3 and committed none: 1 (a log without its
// committable: checkpoint 2's manifest only lists epoch 2) and 2 are produced in one
// transaction, 3 and an unfinished log are deleted.
TEST_F(KafkaSinkExactlyOnceTest, RecoverReplaysUpToTheRestoredCheckpointAndDropsTheRest) {
  std::vector<Committable> staged;
  {
    auto sink = job_.MakeSink();
    auto writer = OpenWriter(**sink, 0, 1);
    for (CheckpointId id = 1; id <= 3; ++id) {
      ASSERT_TRUE(writer->Write(Rows(id * 10, id * 10 + 4, "e" + std::to_string(id))).ok());
      staged.push_back(PreCommit(*writer, 0, id));
    }
    ASSERT_TRUE(writer->Write(Rows(99, 99, "unfinished")).ok());
    // The process dies here: no Close(), the open epoch's file stays.
    std::filesystem::copy_file(job_.WriterDir(0) + "/3.log", job_.WriterDir(0) + "/x.inprogress");
  }
  // A writer of an earlier, larger parallelism left a log too.
  std::filesystem::create_directories(job_.WriterDir(1));
  std::filesystem::copy_file(job_.WriterDir(0) + "/1.log", job_.WriterDir(1) + "/2.log");

  auto sink = job_.MakeSink();
  auto committer = MakeCommitter(**sink);
  Status s = committer->Recover(2, {staged[1]});
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Values(ReadTopic(job_.topic, kPartitions, true)),
            Expected({{10, 14, "e1"}, {20, 24, "e2"}, {10, 14, "e1"}}));
  for (int w : {0, 1}) {
    auto listing = ListKafkaWriterDir(job_.WriterDir(w));
    ASSERT_TRUE(listing.ok());
    EXPECT_TRUE(listing->logs.empty()) << w << ": " << listing->logs.begin()->second;
    EXPECT_TRUE(listing->others.empty()) << w << ": " << listing->others.front();
  }
  // Epoch 3 is produced again by the resumed job, under a new id.
  auto writer = OpenWriter(**sink, 0, 1);
  ASSERT_TRUE(writer->Write(Rows(30, 34, "e3")).ok());
  ASSERT_TRUE(committer->Commit(3, {PreCommit(*writer, 0, 3)}).ok());
  EXPECT_EQ(ReadTopic(job_.topic, kPartitions, true).size(), 20u);
  ASSERT_TRUE(writer->Close().ok());
}

TEST_F(KafkaSinkExactlyOnceTest, UpsertKafkaTombstonesGoThroughTheLog) {
  Options options = {{"connector", "upsert-kafka"},
                     {"topic", job_.topic},
                     {"properties.bootstrap.servers", kBroker},
                     {"key.format", "json"},
                     {"value.format", "json"},
                     {"sink.delivery-guarantee", "exactly-once"},
                     {"sink.transactional-id-prefix", job_.prefix}};
  auto table = MakeTable("latest", Events(), options, {0});
  auto sink = kUpsertKafkaConnector.make_sink(MakeContext(table, /*updating=*/true));
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  ASSERT_TRUE(
      (*sink)->EnableCheckpointing(SinkCheckpointing{"pipe", job_.uid, job_.state_dir, "r"}).ok());
  auto writer = OpenWriter(**sink, 0, 1);
  auto committer = MakeCommitter(**sink);
  BatchBuilder builder(Events());
  builder.AppendRow({Value::Bigint(1), Value::Varchar("a")}, RowKind::kInsert);
  builder.AppendRow({Value::Bigint(1), Value::Varchar("a")}, RowKind::kUpdateBefore);
  builder.AppendRow({Value::Bigint(1), Value::Varchar("b")}, RowKind::kUpdateAfter);
  builder.AppendRow({Value::Bigint(1), Value::Varchar("b")}, RowKind::kDelete);
  ASSERT_TRUE(writer->Write(builder.Finish()).ok());
  ASSERT_TRUE(committer->Commit(1, {PreCommit(*writer, 0, 1)}).ok());
  std::vector<KafkaMessage> got = ReadTopic(job_.topic, kPartitions, true);
  std::sort(got.begin(), got.end(),
            [](const KafkaMessage& a, const KafkaMessage& b) { return a.offset < b.offset; });
  std::vector<std::string> values;
  for (const KafkaMessage& m : got) {
    EXPECT_EQ(m.key, "{\"id\":1}");
    values.push_back(m.value.value_or("<tombstone>"));
  }
  EXPECT_EQ(values, (std::vector<std::string>{"{\"id\":1,\"name\":\"a\"}",
                                              "{\"id\":1,\"name\":\"b\"}", "<tombstone>"}));
  ASSERT_TRUE(writer->Close().ok());
}

// ---- kill -9 at the crash points ---------------------------------------------------------------

// The commit runs in a child: a fresh exec of this binary running only this test, so that
// SLUICE_CRASH_POINT is read anew (it is read once per process).
constexpr char kChildTopic[] = "SLUICE_TEST_KAFKA_EOS_TOPIC";
constexpr char kChildPrefix[] = "SLUICE_TEST_KAFKA_EOS_PREFIX";
constexpr char kChildStateDir[] = "SLUICE_TEST_KAFKA_EOS_STATE_DIR";
constexpr char kChildCommittable[] = "SLUICE_TEST_KAFKA_EOS_COMMITTABLE";

// Runs the current test in a child with `crash_point` armed; its wait status, or -1 if it did
// not end within 60 s (it is then killed).
int RunChild(const std::string& crash_point, const Job& job, const std::string& committable) {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string filter =
      std::string("--gtest_filter=") + test->test_suite_name() + "." + test->name();
  std::vector<std::string> env = {"SLUICE_CRASH_POINT=" + crash_point,
                                  std::string(kChildTopic) + "=" + job.topic,
                                  std::string(kChildPrefix) + "=" + job.prefix,
                                  std::string(kChildStateDir) + "=" + job.state_dir,
                                  std::string(kChildCommittable) + "=" + committable};
  for (char** e = environ; *e; ++e) {
    if (std::strncmp(*e, "GTEST_OUTPUT=", 13) != 0 && std::strncmp(*e, "SLUICE_", 7) != 0) {
      env.push_back(*e);
    }
  }
  std::vector<char*> envp, argv;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string self = "/proc/self/exe";
  argv = {self.data(), filter.data(), nullptr};
  const int null_out = open("/dev/null", O_WRONLY);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(null_out, STDOUT_FILENO);
    execve(self.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  close(null_out);
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      kill(pid, SIGKILL);  // our own child
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return status;
}

class KafkaSinkCrashTest : public KafkaSinkExactlyOnceTest,
                           public ::testing::WithParamInterface<const char*> {};

TEST_P(KafkaSinkCrashTest, KilledMidCommitThenRecoveredIsExactlyOnce) {
  if (const char* topic = std::getenv(kChildTopic)) {
    // The child: the committer thread of the dying process commits checkpoint 2.
    Job job;
    job.topic = topic;
    job.prefix = std::getenv(kChildPrefix);
    job.state_dir = std::getenv(kChildStateDir);
    auto sink = job.MakeSink();
    auto committer = MakeCommitter(**sink);
    // (It recovered long ago, before checkpoint 1; Recover(1) now would discard epoch 2.)
    Status s = committer->Commit(2, {Committable{0, 2, std::getenv(kChildCommittable)}});
    std::fprintf(stderr, "child survived the crash point: %s\n", s.ToString().c_str());
    _exit(3);
  }
  const std::string crash_point = GetParam();
  Committable c2;
  {
    auto sink = job_.MakeSink();
    auto writer = OpenWriter(**sink, 0, 1);
    auto committer = MakeCommitter(**sink);
    ASSERT_TRUE(writer && committer);
    ASSERT_TRUE(committer->Recover(0, {}).ok());
    ASSERT_TRUE(writer->Write(Rows(1, 10, "a")).ok());
    ASSERT_TRUE(committer->Commit(1, {PreCommit(*writer, 0, 1)}).ok());
    ASSERT_TRUE(writer->Write(Rows(11, 40, "b")).ok());
    c2 = PreCommit(*writer, 0, 2);
    ASSERT_TRUE(writer->Close().ok());
  }
  const int status = RunChild(crash_point, job_, c2.data);
  ASSERT_NE(status, -1) << "the child did not end within 60 s";
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exit status " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  const bool committed = crash_point == "kafka-after-commit-before-log-delete";
  EXPECT_EQ(ReadTopic(job_.topic, kPartitions, true).size(), committed ? 40u : 10u);
  EXPECT_TRUE(std::filesystem::exists(job_.WriterDir(0) + "/2.log"));

  // The restart from checkpoint 2 (its manifest was written before the commit began).
  auto sink = job_.MakeSink();
  auto committer = MakeCommitter(**sink);
  Status s = committer->Recover(2, {c2});
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(committer->Commit(2, {c2}).ok());
  EXPECT_EQ(Values(ReadTopic(job_.topic, kPartitions, true)),
            Expected({{1, 10, "a"}, {11, 40, "b"}}));
  EXPECT_FALSE(std::filesystem::exists(job_.WriterDir(0) + "/2.log"));
}

INSTANTIATE_TEST_SUITE_P(CrashPoints, KafkaSinkCrashTest,
                         ::testing::Values("kafka-mid-produce:15",
                                           "kafka-before-commit-transaction",
                                           "kafka-after-commit-before-log-delete"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name = info.param;
                           name = name.substr(0, name.find(':'));
                           for (char& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

// ---- options (no broker needed) ----------------------------------------------------------------

TEST(KafkaSinkExactlyOnceOptionsTest, NeedsCheckpointing) {
  Job job;
  job.topic = "t";
  job.state_dir = "/nonexistent";
  auto sink = job.MakeSink(/*checkpointing=*/false);
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  auto writer = (*sink)->CreateWriter(0, 1);
  ASSERT_FALSE(writer.ok());
  EXPECT_EQ(writer.status().code(), ErrorCode::kInvalidOption);
  EXPECT_NE(writer.status().message().find(
                "'sink.delivery-guarantee' = 'exactly-once' needs checkpoints, which are off: set "
                "'execution.checkpointing.interval'"),
            std::string::npos)
      << writer.status().message();
  EXPECT_FALSE((*sink)->CreateCommitter().ok());
}

TEST(KafkaSinkExactlyOnceOptionsTest, DefaultPrefixAndBadOptions) {
  TempDir dir;
  MockKafka kafka;
  kafka.CreateTopic("out", 2);
  Job job;
  job.topic = "out";
  job.state_dir = dir.path().string();
  job.extra = {{"properties.bootstrap.servers", kafka.bootstraps()}};
  auto sink = job.MakeSink();
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  auto writer = OpenWriter(**sink, 3, 4);
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->Write(Rows(1, 1, "a")).ok());
  Committable c = PreCommit(*writer, 3, 9);
  EXPECT_NE(c.data.find("tid=sluice-pipe-01234567-3\npath=3/9.log\nrecords=1\n"), std::string::npos)
      << c.data;
  EXPECT_EQ(PreCommit(*writer, 3, 10).data, "");  // an empty epoch
  ASSERT_TRUE(writer->Close().ok());
  // At-least-once sinks have no committer.
  job.extra["sink.delivery-guarantee"] = "at-least-once";
  auto plain = job.MakeSink();
  ASSERT_TRUE(plain.ok());
  auto committer = (*plain)->CreateCommitter();
  ASSERT_TRUE(committer.ok());
  EXPECT_EQ(*committer, nullptr);

  for (const auto& [key, value, message] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"sink.commit.timeout", "soon", "option 'sink.commit.timeout'"},
           {"sink.commit.timeout", "0 s", "must be positive"},
           {"properties.transactional.id", "x", "cannot be set with"}}) {
    Job bad = job;
    bad.extra = {{"properties.bootstrap.servers", kafka.bootstraps()}, {key, value}};
    auto refused = bad.MakeSink();
    ASSERT_FALSE(refused.ok()) << key;
    EXPECT_NE(refused.status().message().find(message), std::string::npos)
        << refused.status().message();
  }
}

}  // namespace
}  // namespace sluice
