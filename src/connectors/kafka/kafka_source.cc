#include "connectors/kafka/kafka_source.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <span>
#include <thread>

#include "connectors/dead_letter/dead_letter_writer.h"
#include "connectors/kafka/kafka_assignment.h"
#include "connectors/kafka/kafka_source_control.h"
#include "connectors/kafka/kafka_source_position.h"

namespace sluice {

namespace {

using Clock = std::chrono::steady_clock;
using TopicPartition = std::pair<std::string, int32_t>;

constexpr int kPollTimeoutMs = 50;         // Poll() blocks at most about this long
constexpr int kQueryTimeoutMs = 30000;     // offset look-ups when partitions are assigned
constexpr int kMetadataTimeoutMs = 30000;  // ListSplits(): the cluster must answer by then
constexpr auto kCommitInterval = std::chrono::seconds(5);
constexpr int kRevokeCommitWaitMs = 1000;  // inside Poll(): a rebalance hands positions over
constexpr int kCloseCommitWaitMs = 10000;
constexpr int kCheckpointCommitWaitMs = 10000;  // NotifyCheckpointComplete(), coordinator thread

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string RandomHex() {
  std::random_device device;
  char buffer[17];
  std::snprintf(buffer, sizeof(buffer), "%08x%08x", device(), device());
  return buffer;
}

}  // namespace

/// What the readers of one source share: the group id, topic indices for stream ids, and per
/// partition the next offset to read and the bounded end, so that a partition moving between
/// readers of this process (rebalance) resumes exactly and keeps its end.
class KafkaSourceState {
 public:
  struct Partition {
    int64_t next = -1;   // next offset not yet handed to the runtime; -1: not known
    int64_t bound = -1;  // bounded end (exclusive); -1: not fixed yet
  };

  std::string group_id;
  /// EnableCheckpointing() was called: static assignment (set before any reader exists).
  bool checkpointing = false;
  /// Restored positions moved by 'auto.offset.reset' (out of range), and the records skipped.
  std::atomic<uint64_t> positions_reset{0};
  std::atomic<uint64_t> records_skipped_by_reset{0};

  /// Checkpoint mode: the source's own client (partition order, discovery, commits).
  std::shared_ptr<KafkaSourceControl> control() {
    std::lock_guard<std::mutex> lock(mutex_);
    return control_;
  }
  /// The control client, made on first use from `make`.
  template <typename Make>
  Result<std::shared_ptr<KafkaSourceControl>> control(Make make) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!control_) {
      SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<KafkaSourceControl> made, make());
      control_ = std::move(made);
    }
    return control_;
  }

  int TopicIndex(const std::string& topic) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto [it, inserted] = topics_.emplace(topic, static_cast<int>(topics_.size()));
    return it->second;
  }
  Partition Get(const TopicPartition& tp) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = partitions_.find(tp);
    return it == partitions_.end() ? Partition{} : it->second;
  }
  void SetNext(const TopicPartition& tp, int64_t next) {
    if (next < 0) return;
    std::lock_guard<std::mutex> lock(mutex_);
    partitions_[tp].next = next;
  }
  void SetBound(const TopicPartition& tp, int64_t bound) {
    std::lock_guard<std::mutex> lock(mutex_);
    partitions_[tp].bound = bound;
  }
  /// The topic of a TopicIndex() value, or "".
  std::string TopicName(int index) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [name, i] : topics_) {
      if (i == index) return name;
    }
    return "";
  }

 private:
  std::mutex mutex_;
  std::shared_ptr<KafkaSourceControl> control_;
  std::map<std::string, int> topics_;
  std::map<TopicPartition, Partition> partitions_;
};

namespace {

/// Message bytes of one batch, copied into one block with kRecordPadding spare bytes at the end:
/// decoders parse in place and string columns point into it (the batch keeps it alive).
struct MessageBlock {
  explicit MessageBlock(size_t size) : bytes(new char[size + kRecordPadding]) {
    std::memset(bytes.get() + size, 0, kRecordPadding);
  }
  std::unique_ptr<char[]> bytes;
};

/// What a batch needs of one message once its bytes are in the block.
struct MessageInfo {
  int64_t offset = 0;
  int64_t timestamp_ms = -1;
  rd_kafka_timestamp_type_t timestamp_type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
  std::optional<std::string_view> key;
  std::optional<std::string_view> value;
};

class KafkaSplitReader final : public SplitReader {
 public:
  KafkaSplitReader(const KafkaTableConfig& config, const TableContext& context,
                   std::shared_ptr<KafkaSourceState> state, int index, int readers)
      : config_(config),
        context_(context),
        state_(std::move(state)),
        index_(index),
        readers_(readers) {
    errors_ = context_.errors ? context_.errors : std::make_shared<SourceErrorCounters>();
  }

  ~KafkaSplitReader() override { Shutdown().IgnoreError(); }

  Status Open() override {
    SLUICE_ASSIGN_OR_RETURN(value_decoder_, config_.value.format->make_decoder(
                                                config_.value.schema, config_.value.options));
    if (config_.key && (config_.value_except_key || config_.upsert)) {
      SLUICE_ASSIGN_OR_RETURN(key_decoder_, config_.key->format->make_decoder(
                                                config_.key->schema, config_.key->options));
    }
    if (config_.has_dead_letters) {
      SLUICE_ASSIGN_OR_RETURN(dead_letters_, MakeDeadLetterWriter(context_));
    }

    KafkaProperties properties = config_.properties;
    properties["group.id"] = state_->group_id;
    properties["enable.auto.commit"] = "false";
    properties["enable.auto.offset.store"] = "false";
    if (config_.bounded != KafkaBoundedMode::kUnbounded)
      properties["enable.partition.eof"] = "true";
    if (!properties.count("auto.offset.reset")) {
      // Flink: committed offsets fall back to 'none' (fail); explicit positions that fell out of
      // the retention window restart from the earliest record.
      properties["auto.offset.reset"] =
          config_.startup == KafkaStartupMode::kGroupOffsets ? "error" : "earliest";
    }
    const std::string& reset = properties["auto.offset.reset"];
    reset_ = reset == "latest" || reset == "largest" || reset == "end" ? "latest"
             : reset == "error"                                        ? "error"
                                                                       : "earliest";
    // librdkafka 2.0 compares this threshold with the whole consumer queue (every partition's
    // messages) and, above it, stops fetching for fetch.error.backoff.ms (500 ms): with a few
    // partitions per reader that idles a fast reader most of the time (measured: 5 M JSON
    // records from 6 partitions, one reader: 20 s with the defaults, 3 s with these). Memory
    // stays capped by queued.max.messages.kbytes (64 MB).
    properties.emplace("queued.min.messages", "1000000");
    properties.emplace("fetch.error.backoff.ms", "50");
    if (!properties.count("topic.metadata.refresh.interval.ms")) {
      properties["topic.metadata.refresh.interval.ms"] =
          config_.discovery_interval_ms > 0 ? std::to_string(config_.discovery_interval_ms) : "-1";
    }
    if (!properties.count("client.id")) {
      auto prefix = context_.table->options.find("properties.client.id.prefix");
      properties["client.id"] =
          (prefix != context_.table->options.end() ? prefix->second : "sluice-" + config_.table) +
          "-" + std::to_string(index_);
    }
    auto setup = [](rd_kafka_conf_t* conf) {
      rd_kafka_conf_set_rebalance_cb(conf, &KafkaSplitReader::OnRebalance);
      rd_kafka_conf_set_error_cb(conf, &KafkaSplitReader::OnError);
    };
    auto client = MakeKafkaClient(RD_KAFKA_CONSUMER, properties, this, +setup);
    if (!client.ok()) return client.status().WithContext("table '" + config_.table + "'");
    client_ = std::move(client).value();
    rd_kafka_poll_set_consumer(client_.get());
    queue_ = rd_kafka_queue_get_consumer(client_.get());
    if (state_->checkpointing) return OpenStatic();

    KafkaPartitionList topics(rd_kafka_topic_partition_list_new(
        std::max<int>(1, static_cast<int>(config_.topics.size()))));
    if (!config_.topic_pattern.empty()) {
      // librdkafka treats a leading '^' as a regular expression; Flink's pattern must match the
      // whole name.
      std::string regex = "^(" + config_.topic_pattern + ")$";
      rd_kafka_topic_partition_list_add(topics.get(), regex.c_str(), RD_KAFKA_PARTITION_UA);
    } else {
      for (const std::string& topic : config_.topics) {
        rd_kafka_topic_partition_list_add(topics.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
      }
    }
    rd_kafka_resp_err_t err = rd_kafka_subscribe(client_.get(), topics.get());
    if (err) return KafkaError("table '" + config_.table + "': cannot subscribe", err);
    last_commit_ = Clock::now();
    return Status::OK();
  }

  Result<Batch> Poll(size_t max_rows, bool* end_of_split) override {
    if (!client_.get()) return Status::Internal("kafka reader polled before Open()");
    SLUICE_RETURN_IF_ERROR(error_);
    if (state_->checkpointing) {
      // Partitions the discovery thread appended to the order: take those this reader owns.
      if (control_ && control_->order().size() != order_seen_) {
        SLUICE_RETURN_IF_ERROR(AssignOwned());
      }
    } else if (Clock::now() - last_commit_ >= kCommitInterval) {
      SLUICE_RETURN_IF_ERROR(Commit(-1));
    }
    max_rows = std::max<size_t>(max_rows, 1);
    PartitionState* partition = NextPending();
    if (!partition) {
      SLUICE_RETURN_IF_ERROR(Fetch(max_rows));
      SLUICE_RETURN_IF_ERROR(error_);
      partition = NextPending();
    }
    if (partition) {
      last_ = partition;
      last_stream_ = partition->stream;
      partition->announced = true;
      SLUICE_ASSIGN_OR_RETURN(Batch batch, TakeBatch(*partition, max_rows));
      CheckEnded(*partition);
      return batch;
    }
    if (config_.bounded != KafkaBoundedMode::kUnbounded && had_assignment_ && !rebalancing_) {
      bool all = true;
      for (auto& [tp, p] : assigned_) all = all && p.ended;
      if (all) *end_of_split = true;
    }
    return Batch::Empty(context_.physical_schema);
  }

  int64_t LastPollStream() const override { return last_stream_; }

  bool TakeAddedStream(int64_t* stream) override {
    if (added_streams_.empty()) return false;
    *stream = added_streams_.front();
    added_streams_.erase(added_streams_.begin());
    return true;
  }

  bool TakeEndedStream(int64_t* stream) override {
    if (ended_streams_.empty()) return false;
    *stream = ended_streams_.front();
    ended_streams_.erase(ended_streams_.begin());
    return true;
  }

  Status SnapshotPositions(std::vector<StreamPosition>* out) const override {
    if (!state_->checkpointing) {
      return Status::Unsupported("table '" + config_.table +
                                 "': the kafka source was not put in checkpoint mode");
    }
    // A checkpoint covers the dead letters of the rows before it: none may be lost after.
    if (dead_letters_) SLUICE_RETURN_IF_ERROR(dead_letters_->Flush());
    for (const auto& [tp, p] : assigned_) {
      out->push_back(
          {KafkaStreamName(p.topic, p.partition), EncodeKafkaPosition({p.next, p.bound, p.ended})});
    }
    return Status::OK();
  }

  Status RestorePositions(const std::vector<StreamPosition>& positions) override {
    if (!state_->checkpointing) {
      return Status::Unsupported("table '" + config_.table +
                                 "': the kafka source was not put in checkpoint mode");
    }
    if (client_.get()) return Status::Internal("kafka: RestorePositions() after Open()");
    restored_.clear();
    for (const StreamPosition& position : positions) {
      auto decoded = DecodeKafkaPosition(position);
      if (!decoded.ok()) return decoded.status().WithContext("table '" + config_.table + "'");
      restored_[decoded->first] = decoded->second;
    }
    return Status::OK();
  }

  std::string StreamName(int64_t stream) const override {
    std::string topic = state_->TopicName(static_cast<int>(stream >> 32));
    if (topic.empty()) return "";
    return KafkaStreamName(topic, static_cast<int32_t>(stream & 0xffffffff));
  }

  std::string Position() const override {
    if (!last_) return "";
    return TopicPartitionName(last_->topic, last_->partition) + "@" + std::to_string(last_->next);
  }

  Status Close() override {
    Status status = Shutdown();
    return status;
  }

 private:
  struct PartitionState {
    std::string topic;
    int32_t partition = 0;
    int64_t stream = 0;
    int64_t next = -1;       // next offset to hand out; -1 until known
    int64_t fetched = -1;    // offset after the last message queued in `pending`
    int64_t committed = -1;  // last offset committed to the group
    int64_t bound = -1;      // bounded end (exclusive); -1: none
    int64_t eof = -1;        // offset of the last end-of-partition event
    bool ended = false;
    bool announced = false;  // the runtime has seen this stream
    std::deque<rd_kafka_message_t*> pending;
  };

  TopicPartition Key(const PartitionState& p) const { return {p.topic, p.partition}; }

  // --- callbacks (run inside Fetch(), on the reader's thread) ---

  static void OnRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                          rd_kafka_topic_partition_list_t* partitions, void* opaque) {
    auto* self = static_cast<KafkaSplitReader*>(KafkaUserOpaque(opaque));
    const bool cooperative = std::strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
      KafkaPartitionList list(rd_kafka_topic_partition_list_copy(partitions));
      self->Assign(list.get());
      if (cooperative) {
        rd_kafka_error_t* error = rd_kafka_incremental_assign(rk, list.get());
        if (error) {
          self->SetError(Status::IoError(
              "table '" + self->config_.table +
              "': cannot take the assigned partitions: " + rd_kafka_error_string(error)));
          rd_kafka_error_destroy(error);
        }
      } else {
        rd_kafka_resp_err_t e = rd_kafka_assign(rk, list.get());
        if (e) self->SetError(KafkaError("table '" + self->config_.table + "': assign", e));
      }
      self->PauseEnded();
      self->had_assignment_ = true;
      self->rebalancing_ = false;
    } else if (err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS) {
      self->Revoke(partitions, rd_kafka_assignment_lost(rk) != 0);
      if (cooperative) {
        rd_kafka_error_t* error = rd_kafka_incremental_unassign(rk, partitions);
        if (error) rd_kafka_error_destroy(error);
      } else {
        rd_kafka_assign(rk, nullptr);
      }
      self->rebalancing_ = true;
    } else {
      self->Revoke(partitions, true);
      rd_kafka_assign(rk, nullptr);
      self->rebalancing_ = true;
    }
  }

  static void OnError(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
    auto* self = static_cast<KafkaSplitReader*>(KafkaUserOpaque(opaque));
    if (err == RD_KAFKA_RESP_ERR__FATAL) {
      char detail[512];
      rd_kafka_resp_err_t fatal = rd_kafka_fatal_error(rk, detail, sizeof(detail));
      self->SetError(Status::IoError("table '" + self->config_.table +
                                     "': Kafka consumer failed: " + rd_kafka_err2str(fatal) + ": " +
                                     detail));
    } else if (err == RD_KAFKA_RESP_ERR__AUTHENTICATION) {
      self->SetError(Status::InvalidOption("table '" + self->config_.table +
                                           "': Kafka authentication failed: " + reason));
    }
    // Everything else (brokers down, timeouts) is retried by librdkafka; the log keeps it.
  }

  void SetError(Status status) {
    if (error_.ok()) error_ = std::move(status);
  }

  // --- assignment ---

  void Assign(rd_kafka_topic_partition_list_t* list) {
    // Which partitions need which look-up (all done in few round trips).
    KafkaPartitionList by_time(rd_kafka_topic_partition_list_new(list->cnt));
    KafkaPartitionList bound_by_time(rd_kafka_topic_partition_list_new(list->cnt));
    KafkaPartitionList committed(rd_kafka_topic_partition_list_new(list->cnt));
    KafkaPartitionList bound_committed(rd_kafka_topic_partition_list_new(list->cnt));
    for (int i = 0; i < list->cnt; ++i) {
      rd_kafka_topic_partition_t& tp = list->elems[i];
      TopicPartition key{tp.topic, tp.partition};
      PartitionState& p = assigned_[key];
      DropPending(p);
      p = PartitionState();
      p.topic = tp.topic;
      p.partition = tp.partition;
      p.stream = (static_cast<int64_t>(state_->TopicIndex(p.topic)) << 32) |
                 static_cast<uint32_t>(tp.partition);
      // Checkpoint mode: the restored position; else where another reader of this source left it.
      KafkaSourceState::Partition shared =
          state_->checkpointing ? RestoredPosition(key) : state_->Get(key);
      if (shared.next >= 0) {
        p.next = shared.next;  // moved here from another reader of this source
      } else {
        switch (config_.startup) {
          case KafkaStartupMode::kEarliest:
            tp.offset = RD_KAFKA_OFFSET_BEGINNING;
            break;
          case KafkaStartupMode::kLatest: {
            // Resolved now, so the partition keeps this start if it moves before a record comes.
            int64_t high = -1;
            if (QueryHigh(p, &high)) p.next = high;
            break;
          }
          case KafkaStartupMode::kGroupOffsets:
            tp.offset = RD_KAFKA_OFFSET_STORED;
            break;
          case KafkaStartupMode::kTimestamp:
            rd_kafka_topic_partition_list_add(by_time.get(), tp.topic, tp.partition)->offset =
                config_.startup_timestamp_ms;
            break;
          case KafkaStartupMode::kSpecificOffsets: {
            auto it = config_.startup_offsets.find(tp.partition);
            if (it != config_.startup_offsets.end()) {
              p.next = it->second;
            } else {
              // As Flink: partitions without a given offset start from the committed offset,
              // else from the earliest record.
              rd_kafka_topic_partition_list_add(committed.get(), tp.topic, tp.partition);
            }
            break;
          }
        }
      }
      if (config_.bounded != KafkaBoundedMode::kUnbounded) {
        if (shared.bound >= 0) {
          p.bound = shared.bound;
        } else {
          switch (config_.bounded) {
            case KafkaBoundedMode::kTimestamp:
              rd_kafka_topic_partition_list_add(bound_by_time.get(), tp.topic, tp.partition)
                  ->offset = config_.bounded_timestamp_ms;
              break;
            case KafkaBoundedMode::kGroupOffsets:
              rd_kafka_topic_partition_list_add(bound_committed.get(), tp.topic, tp.partition);
              break;
            case KafkaBoundedMode::kSpecificOffsets: {
              auto it = config_.bounded_offsets.find(tp.partition);
              if (it != config_.bounded_offsets.end()) {
                p.bound = it->second;
                break;
              }
              [[fallthrough]];  // partitions without a given end stop at the current end
            }
            default: {
              int64_t high = -1;
              if (QueryHigh(p, &high)) p.bound = high;
              break;
            }
          }
        }
      }
    }
    // Startup by timestamp: the first offset at or after it (none: the end).
    if (by_time->cnt > 0) {
      OffsetsForTimes(by_time.get());
      for (int i = 0; i < by_time->cnt; ++i) {
        PartitionState& p = assigned_[{by_time->elems[i].topic, by_time->elems[i].partition}];
        int64_t offset = by_time->elems[i].offset;
        if (offset < 0 && !QueryHigh(p, &offset)) continue;
        p.next = offset;
      }
    }
    if (committed->cnt > 0) {
      Committed(committed.get());
      for (int i = 0; i < committed->cnt; ++i) {
        PartitionState& p = assigned_[{committed->elems[i].topic, committed->elems[i].partition}];
        int64_t offset = committed->elems[i].offset;
        if (offset >= 0) p.next = offset;  // else: earliest (set below)
      }
    }
    if (bound_by_time->cnt > 0) {
      OffsetsForTimes(bound_by_time.get());
      for (int i = 0; i < bound_by_time->cnt; ++i) {
        PartitionState& p =
            assigned_[{bound_by_time->elems[i].topic, bound_by_time->elems[i].partition}];
        int64_t offset = bound_by_time->elems[i].offset;
        if (offset < 0 && !QueryHigh(p, &offset)) continue;
        p.bound = offset;
      }
    }
    if (bound_committed->cnt > 0) {
      Committed(bound_committed.get());
      for (int i = 0; i < bound_committed->cnt; ++i) {
        PartitionState& p =
            assigned_[{bound_committed->elems[i].topic, bound_committed->elems[i].partition}];
        int64_t offset = bound_committed->elems[i].offset;
        if (offset < 0 && !QueryHigh(p, &offset)) continue;  // nothing committed: the end
        p.bound = offset;
      }
    }
    // The start positions go into the list librdkafka assigns.
    for (int i = 0; i < list->cnt; ++i) {
      rd_kafka_topic_partition_t& tp = list->elems[i];
      PartitionState& p = assigned_[{tp.topic, tp.partition}];
      if (state_->checkpointing) ApplyRestored(p);
      if (p.next >= 0) {
        tp.offset = p.next;
      } else if (config_.startup == KafkaStartupMode::kSpecificOffsets ||
                 config_.startup == KafkaStartupMode::kTimestamp ||
                 config_.startup == KafkaStartupMode::kLatest) {
        tp.offset = RD_KAFKA_OFFSET_BEGINNING;  // a failed look-up already set error_
      }
      state_->SetNext(Key(p), p.next);
      if (p.bound >= 0) state_->SetBound(Key(p), p.bound);
      if (p.bound >= 0 && p.next >= 0 && p.next >= p.bound) p.ended = true;
      if (!p.ended) {
        // The runtime holds the watermark back for it from now on, before its first record.
        added_streams_.push_back(p.stream);
        p.announced = true;
      }
    }
  }

  // --- checkpoint mode: static assignment ---

  // No subscription: the reader assigns itself its share of the source's partition order.
  Status OpenStatic() {
    control_ = state_->control();
    if (!control_) {
      return Status::Internal("kafka: a reader of table '" + config_.table +
                              "' was opened before ListSplits()");
    }
    SLUICE_RETURN_IF_ERROR(AssignOwned());
    had_assignment_ = true;
    return Status::OK();
  }

  // Takes the partitions of the order not looked at yet that this reader owns.
  Status AssignOwned() {
    const size_t from = order_seen_;
    std::vector<TopicPartition> owned =
        control_->order().Owned(index_, readers_, from, &order_seen_);
    if (owned.empty()) return Status::OK();
    KafkaPartitionList list(rd_kafka_topic_partition_list_new(static_cast<int>(owned.size())));
    for (const auto& [topic, partition] : owned) {
      rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), partition);
    }
    Assign(list.get());  // start and end offsets, restored positions
    SLUICE_RETURN_IF_ERROR(error_);
    // Partitions already at their end are not fetched at all.
    KafkaPartitionList active(rd_kafka_topic_partition_list_new(list->cnt));
    for (int i = 0; i < list->cnt; ++i) {
      const rd_kafka_topic_partition_t& tp = list->elems[i];
      if (assigned_[{tp.topic, tp.partition}].ended) continue;
      rd_kafka_topic_partition_list_add(active.get(), tp.topic, tp.partition)->offset = tp.offset;
    }
    if (active->cnt == 0) return Status::OK();
    // Incremental: partitions taken earlier keep their fetch state (not in a group, librdkafka
    // accepts it outside a rebalance).
    rd_kafka_error_t* error = rd_kafka_incremental_assign(client_.get(), active.get());
    if (!error) return Status::OK();
    Status status = Status::IoError("table '" + config_.table + "': cannot assign " +
                                    std::to_string(active->cnt) +
                                    " partitions: " + rd_kafka_error_string(error));
    rd_kafka_error_destroy(error);
    return status;
  }

  // Where the checkpoint left `key` (next, and its bound when the table is bounded).
  KafkaSourceState::Partition RestoredPosition(const TopicPartition& key) const {
    KafkaSourceState::Partition out;
    auto it = restored_.find(key);
    if (it == restored_.end()) return out;
    out.next = it->second.next;
    if (config_.bounded != KafkaBoundedMode::kUnbounded) out.bound = it->second.bound;
    return out;
  }

  // After `p`'s start and end were resolved: a restored partition that had ended stays ended; a
  // restored position outside the log (retention deleted it, or the topic was recreated) must
  // not be skipped silently: 'auto.offset.reset' decides, and the skip is counted and reported.
  void ApplyRestored(PartitionState& p) {
    auto it = restored_.find(Key(p));
    if (it == restored_.end()) return;
    const KafkaPartitionPosition& saved = it->second;
    if (config_.bounded != KafkaBoundedMode::kUnbounded && p.bound >= 0) {
      if (saved.ended) p.next = std::max(p.next, p.bound);
      if (p.next >= p.bound) return;  // at its end: nothing left to read
    }
    if (saved.next < 0 || p.next != saved.next) return;
    int64_t low = -1, high = -1;
    if (!QueryWatermarks(p, &low, &high)) return;  // error_ is set
    if (p.next >= low && p.next <= high) return;
    const std::string where = TopicPartitionName(p.topic, p.partition);
    const std::string why =
        p.next < low
            ? "offsets " + std::to_string(p.next) + ".." + std::to_string(low - 1) +
                  " were deleted (retention) before they were read; the log starts at " +
                  std::to_string(low)
            : "the log ends at " + std::to_string(high) + " (was the topic deleted and recreated?)";
    if (reset_ == "error") {
      SetError(Status::InvalidOption(
          "table '" + config_.table + "': " + where + ": the position restored from the " +
          "checkpoint, " + std::to_string(p.next) + ", is out of range: " + why +
          "; 'properties.auto.offset.reset' is 'none': set it to 'earliest' or 'latest' to go "
          "on from the log's start or end"));
      return;
    }
    const int64_t to = reset_ == "latest" ? high : low;
    const int64_t skipped = std::max<int64_t>(0, to - p.next);
    state_->positions_reset.fetch_add(1, std::memory_order_relaxed);
    state_->records_skipped_by_reset.fetch_add(static_cast<uint64_t>(skipped),
                                               std::memory_order_relaxed);
    std::fprintf(stderr,
                 "sluice: warning: table '%s': %s: the position restored from the checkpoint, "
                 "%" PRId64 ", is out of range: %s; going on at %" PRId64
                 " ('properties.auto.offset.reset' = '%s'): %" PRId64 " records skipped\n",
                 config_.table.c_str(), where.c_str(), p.next, why.c_str(), to, reset_.c_str(),
                 skipped);
    p.next = to;
  }

  void Revoke(rd_kafka_topic_partition_list_t* list, bool lost) {
    if (!lost) {
      // Hand the positions over: commit what this reader delivered before another one starts.
      Commit(kRevokeCommitWaitMs, list).IgnoreError();  // else: read again from the last commit
    }
    for (int i = 0; i < list->cnt; ++i) {
      auto it = assigned_.find({list->elems[i].topic, list->elems[i].partition});
      if (it == assigned_.end()) continue;
      PartitionState& p = it->second;
      state_->SetNext(Key(p), p.next);
      DropPending(p);
      if (p.announced && !p.ended) ended_streams_.push_back(p.stream);
      if (last_ == &p) last_ = nullptr;
      assigned_.erase(it);
    }
  }

  void PauseEnded() {
    KafkaPartitionList list(rd_kafka_topic_partition_list_new(4));
    for (auto& [tp, p] : assigned_) {
      if (p.ended) rd_kafka_topic_partition_list_add(list.get(), p.topic.c_str(), p.partition);
    }
    if (list->cnt > 0) rd_kafka_pause_partitions(client_.get(), list.get());
  }

  // The partition's high watermark; false (and error_ set) when the cluster did not answer.
  bool QueryHigh(const PartitionState& p, int64_t* high) {
    int64_t low = -1;
    return QueryWatermarks(p, &low, high);
  }

  // The partition's log start and high watermark; false (and error_ set) without an answer.
  bool QueryWatermarks(const PartitionState& p, int64_t* low, int64_t* high) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(kQueryTimeoutMs);
    rd_kafka_resp_err_t err;
    do {
      err = rd_kafka_query_watermark_offsets(client_.get(), p.topic.c_str(), p.partition, low, high,
                                             5000);
      if (!err) return true;
    } while (Clock::now() < deadline && err != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
    Status status = KafkaError("table '" + config_.table + "': cannot read the end offset of " +
                                   TopicPartitionName(p.topic, p.partition),
                               err);
    SetError(Status(status.code(), status.message() + client_.LastLogSuffix(), true));
    return false;
  }

  void OffsetsForTimes(rd_kafka_topic_partition_list_t* list) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(kQueryTimeoutMs);
    KafkaPartitionList request(rd_kafka_topic_partition_list_copy(list));
    rd_kafka_resp_err_t err;
    do {
      KafkaPartitionList attempt(rd_kafka_topic_partition_list_copy(request.get()));
      err = rd_kafka_offsets_for_times(client_.get(), attempt.get(), 5000);
      if (!err) {
        for (int i = 0; i < list->cnt && i < attempt->cnt; ++i) {
          list->elems[i].offset = attempt->elems[i].err ? -1 : attempt->elems[i].offset;
        }
        return;
      }
    } while (Clock::now() < deadline);
    SetError(KafkaError("table '" + config_.table + "': cannot look up offsets by timestamp", err));
    for (int i = 0; i < list->cnt; ++i) list->elems[i].offset = -1;
  }

  void Committed(rd_kafka_topic_partition_list_t* list) {
    rd_kafka_resp_err_t err = rd_kafka_committed(client_.get(), list, kQueryTimeoutMs);
    if (err) {
      SetError(KafkaError(
          "table '" + config_.table + "': cannot read the group's committed offsets", err));
      for (int i = 0; i < list->cnt; ++i) list->elems[i].offset = -1;
    }
  }

  // --- fetching ---

  Status Fetch(size_t max_rows) {
    buffer_.resize(std::max<size_t>(max_rows, 64));
    // Wait for the first message (or a callback), then take whatever else is already there.
    ssize_t n = rd_kafka_consume_batch_queue(queue_, kPollTimeoutMs, buffer_.data(), 1);
    if (n > 0) {
      ssize_t more =
          rd_kafka_consume_batch_queue(queue_, 0, buffer_.data() + 1, buffer_.size() - 1);
      if (more > 0) n += more;
    }
    if (n < 0) {
      return KafkaError("table '" + config_.table + "': consume", rd_kafka_last_error());
    }
    PartitionState* cached = nullptr;
    for (ssize_t i = 0; i < n; ++i) {
      rd_kafka_message_t* message = buffer_[i];
      if (message->err) {
        HandleEvent(message);
        rd_kafka_message_destroy(message);
        continue;
      }
      const char* topic = rd_kafka_topic_name(message->rkt);
      if (!cached || cached->partition != message->partition || cached->topic != topic) {
        auto it = assigned_.find({topic, message->partition});
        cached = it == assigned_.end() ? nullptr : &it->second;
      }
      PartitionState* p = cached;
      // Not ours any more, already ended, or a duplicate from before a seek: drop.
      if (!p || p->ended || message->offset < std::max(p->next, p->fetched)) {
        rd_kafka_message_destroy(message);
        continue;
      }
      if (p->bound >= 0 && message->offset >= p->bound) {
        rd_kafka_message_destroy(message);
        p->eof = std::max(p->eof, p->bound);
        CheckEnded(*p);
        continue;
      }
      p->fetched = message->offset + 1;
      p->pending.push_back(message);
    }
    return Status::OK();
  }

  void HandleEvent(rd_kafka_message_t* message) {
    const std::string where =
        message->rkt ? TopicPartitionName(rd_kafka_topic_name(message->rkt), message->partition)
                     : std::string("");
    switch (message->err) {
      case RD_KAFKA_RESP_ERR__PARTITION_EOF: {
        if (!message->rkt) return;
        auto it = assigned_.find({rd_kafka_topic_name(message->rkt), message->partition});
        if (it == assigned_.end()) return;
        it->second.eof = std::max(it->second.eof, message->offset);
        CheckEnded(it->second);
        return;
      }
      case RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET:
        if (state_->checkpointing && message->rkt &&
            restored_.count({rd_kafka_topic_name(message->rkt), message->partition})) {
          SetError(Status::InvalidOption(
              "table '" + config_.table + "': " + where +
              ": the position restored from the checkpoint is out of range (deleted by "
              "retention?) and 'properties.auto.offset.reset' is 'none': set it to 'earliest' "
              "or 'latest' to go on from the log's start or end"));
          return;
        }
        SetError(Status::InvalidOption(
            "table '" + config_.table + "': " + where + " has no committed offset in group '" +
            state_->group_id +
            "' (or it is out of range) and 'properties.auto.offset.reset' is 'none' (Flink's "
            "default for 'scan.startup.mode' = 'group-offsets'): set it to 'earliest' or "
            "'latest', or choose another startup mode"));
        return;
      case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
      case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
      case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
      case RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED:
      case RD_KAFKA_RESP_ERR__FATAL: {
        Status status = KafkaError("table '" + config_.table + "'", message->err);
        SetError(Status(status.code(), status.message() +
                                           (where.empty() ? "" : " (" + where + ")") + ": " +
                                           rd_kafka_message_errstr(message)));
        return;
      }
      default:
        return;  // transient (brokers down, timeouts): librdkafka retries
    }
  }

  // Bounded partitions end once everything before their end was handed out.
  void CheckEnded(PartitionState& p) {
    if (p.ended || p.bound < 0 || !p.pending.empty()) return;
    // Everything before an end-of-partition event was queued before it, and the queue is empty:
    // offsets missing below the end (compaction, transaction markers) will never come.
    const bool at_eof = p.eof >= 0 && p.eof >= p.bound;
    if (!at_eof && !(p.next >= 0 && p.next >= p.bound)) return;
    if (p.next < p.bound) p.next = p.bound;
    p.ended = true;
    if (p.announced) ended_streams_.push_back(p.stream);
    KafkaPartitionList list(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(list.get(), p.topic.c_str(), p.partition);
    rd_kafka_pause_partitions(client_.get(), list.get());
  }

  PartitionState* NextPending() {
    if (assigned_.empty()) return nullptr;
    // Round robin over partitions with queued messages, starting after the last one served.
    auto start = last_ ? assigned_.upper_bound(Key(*last_)) : assigned_.begin();
    for (auto it = start; it != assigned_.end(); ++it) {
      if (!it->second.pending.empty()) return &it->second;
    }
    for (auto it = assigned_.begin(); it != start; ++it) {
      if (!it->second.pending.empty()) return &it->second;
    }
    return nullptr;
  }

  void DropPending(PartitionState& p) {
    for (rd_kafka_message_t* m : p.pending) rd_kafka_message_destroy(m);
    p.pending.clear();
    p.fetched = -1;
  }

  // --- decoding ---

  Result<Batch> TakeBatch(PartitionState& p, size_t max_rows) {
    const size_t count = std::min(max_rows, p.pending.size());
    const bool need_keys = key_decoder_ != nullptr;
    size_t bytes = 0;
    for (size_t i = 0; i < count; ++i) {
      const rd_kafka_message_t* m = p.pending[i];
      if (m->payload) bytes += m->len;
      if (need_keys || dead_letters_) bytes += m->key_len;
    }
    auto block = std::make_shared<MessageBlock>(bytes);
    char* out = block->bytes.get();
    messages_.clear();
    for (size_t i = 0; i < count; ++i) {
      rd_kafka_message_t* m = p.pending.front();
      p.pending.pop_front();
      MessageInfo info;
      info.offset = m->offset;
      info.timestamp_ms = rd_kafka_message_timestamp(m, &info.timestamp_type);
      if (m->payload) {
        std::memcpy(out, m->payload, m->len);
        info.value = std::string_view(out, m->len);
        out += m->len;
      }
      if ((need_keys || dead_letters_) && m->key) {
        std::memcpy(out, m->key, m->key_len);
        info.key = std::string_view(out, m->key_len);
        out += m->key_len;
      }
      messages_.push_back(info);
      rd_kafka_message_destroy(m);
    }
    if (count > 0 && p.next < 0) p.next = messages_.front().offset;
    auto batch = Decode(p, block);
    // On failure nothing of this batch reached the runtime: the position (and a commit on
    // Close()) stays in front of it.
    if (!batch.ok()) return batch;
    if (count > 0) p.next = messages_.back().offset + 1;
    if (p.pending.empty()) p.fetched = p.next;
    return batch;
  }

  Status BadRecord(const PartitionState& p, const MessageInfo& m, const std::string& reason) {
    if (!dead_letters_) {
      return Status::DecodeError("topic '" + p.topic + "' partition " +
                                 std::to_string(p.partition) + " offset " +
                                 std::to_string(m.offset) + ": " + reason);
    }
    DeadLetter letter;
    letter.key = m.key;
    letter.value = m.value;
    letter.table = config_.table;
    letter.source = p.topic;
    letter.partition = p.partition;
    letter.offset = m.offset;
    letter.error = reason;
    letter.timestamp_micros = NowMicros();
    SLUICE_RETURN_IF_ERROR(dead_letters_->Write(letter));
    errors_->dead_letters.fetch_add(1, std::memory_order_relaxed);
    return Status::OK();
  }

  // Decodes `records` (record r is message record_message[r]) into `out`; appends the message
  // index of every decoded row to `row_message` and sends bad records to the dead letters.
  Status DecodeAll(RecordDecoder& decoder, const PartitionState& p,
                   const std::vector<std::string_view>& records,
                   const std::vector<uint32_t>& record_message,
                   const std::shared_ptr<MessageBlock>& block, const char* side, Batch* out,
                   std::vector<uint32_t>* row_message) {
    size_t start = 0;
    while (start < records.size()) {
      DecodeResult result;
      Status status = decoder.Decode(
          {std::span<const std::string_view>(records).subspan(start), block, /*padded=*/true}, out,
          &result);
      size_t skipped = 0;
      for (size_t j = 0; j < result.consumed; ++j) {
        if (skipped < result.skipped.size() && result.skipped[skipped].record == j) {
          ++skipped;
          continue;
        }
        row_message->push_back(record_message[start + j]);
      }
      errors_->skipped.fetch_add(result.skipped.size(), std::memory_order_relaxed);
      if (status.ok()) break;
      if (status.code() != ErrorCode::kDecodeError) return status;
      const size_t bad = start + result.consumed;
      SLUICE_RETURN_IF_ERROR(
          BadRecord(p, messages_[record_message[bad]], std::string(side) + status.message()));
      start = bad + 1;
    }
    if (out->num_columns() == 0) *out = Batch::Empty(decoder.schema());
    return Status::OK();
  }

  Result<Batch> Decode(const PartitionState& p, const std::shared_ptr<MessageBlock>& block) {
    // Values (tombstones carry none: skipped by kafka, deletes for upsert-kafka).
    std::vector<std::string_view> records;
    std::vector<uint32_t> record_message;
    for (size_t i = 0; i < messages_.size(); ++i) {
      if (!messages_[i].value) continue;
      records.push_back(*messages_[i].value);
      record_message.push_back(static_cast<uint32_t>(i));
    }
    Batch values;
    std::vector<uint32_t> row_message;
    SLUICE_RETURN_IF_ERROR(
        DecodeAll(*value_decoder_, p, records, record_message, block, "", &values, &row_message));
    if (config_.upsert) MergeTombstones(&values, &row_message);

    // Keys, for the rows that decoded (EXCEPT_KEY: the key columns come from the key).
    Batch keys;
    std::vector<int> key_row;  // per value row: its row in `keys`, -1 = NULL key
    if (key_decoder_) {
      std::vector<std::string_view> key_records;
      std::vector<uint32_t> key_message;
      for (uint32_t m : row_message) {
        const auto& key = messages_[m].key;
        if (key && !key->empty()) {
          key_records.push_back(*key);
          key_message.push_back(m);
        }
      }
      std::vector<uint32_t> key_rows_message;
      SLUICE_RETURN_IF_ERROR(DecodeAll(*key_decoder_, p, key_records, key_message, block,
                                       "key: ", &keys, &key_rows_message));
      // Rows whose key failed (dead-lettered or skipped) are dropped from the values too.
      std::vector<uint32_t> keep;
      size_t k = 0;
      for (size_t r = 0; r < row_message.size(); ++r) {
        const auto& key = messages_[row_message[r]].key;
        if (!key || key->empty()) {
          keep.push_back(static_cast<uint32_t>(r));
          key_row.push_back(-1);
          continue;
        }
        if (k < key_rows_message.size() && key_rows_message[k] == row_message[r]) {
          keep.push_back(static_cast<uint32_t>(r));
          key_row.push_back(static_cast<int>(k++));
        }
      }
      if (keep.size() != row_message.size()) {
        values = values.Gather(keep.data(), keep.size());
        std::vector<uint32_t> kept_messages;
        for (uint32_t r : keep) kept_messages.push_back(row_message[r]);
        row_message = std::move(kept_messages);
      }
    }

    const size_t rows = row_message.size();
    if (values.num_rows() != rows) {
      return Status::Internal("kafka: decoded " + std::to_string(values.num_rows()) + " rows for " +
                              std::to_string(rows) + " messages");
    }
    std::vector<ColumnPtr> columns(context_.physical_schema.size());
    for (size_t j = 0; j < config_.value.columns.size(); ++j) {
      columns[config_.value.columns[j]] = values.column(j);
    }
    if (key_decoder_) {
      bool direct = keys.num_rows() == rows;
      for (size_t r = 0; direct && r < rows; ++r) direct = key_row[r] == static_cast<int>(r);
      // upsert-kafka with 'ALL': the value has the key columns too; only deletes take the key's.
      const bool value_has_keys = !config_.value_except_key;
      bool any_delete = false;
      for (uint32_t m : row_message) any_delete = any_delete || !messages_[m].value;
      for (size_t j = 0; j < config_.key->columns.size(); ++j) {
        const int target = config_.key->columns[j];
        if (value_has_keys && !any_delete) continue;
        if (direct && !value_has_keys) {
          columns[target] = keys.column(j);
          continue;
        }
        auto column = std::make_shared<Column>(config_.key->schema[j].type, rows);
        for (size_t r = 0; r < rows; ++r) {
          if (value_has_keys && messages_[row_message[r]].value) {
            column->AppendFrom(*columns[target], r, 1);
          } else if (key_row[r] < 0) {
            column->AppendNull();
          } else {
            column->AppendFrom(*keys.column(j), static_cast<size_t>(key_row[r]), 1);
          }
        }
        columns[target] = std::move(column);
      }
    }
    for (size_t j = 0; j < config_.metadata.size(); ++j) {
      columns[config_.num_physical + j] = MetadataColumn(p, config_.metadata[j], row_message);
    }
    Batch batch(std::move(columns), rows);
    if (config_.upsert) {
      // The kinds of the rows that survived the key decoding, in order.
      std::vector<RowKind> kept;
      kept.reserve(rows);
      for (uint32_t m : row_message) {
        kept.push_back(messages_[m].value ? RowKind::kUpdateAfter : RowKind::kDelete);
      }
      batch.set_row_kinds(std::move(kept));
    } else if (values.has_row_kinds()) {
      batch.set_row_kinds(values.row_kinds());
    }
    return batch;
  }

  // upsert-kafka: a tombstone (NULL value) with a key deletes that key. Its row joins the value
  // rows in offset order, with NULL value columns; the key columns come from the key.
  void MergeTombstones(Batch* values, std::vector<uint32_t>* row_message) {
    std::vector<uint32_t> tombstones;
    for (size_t i = 0; i < messages_.size(); ++i) {
      const MessageInfo& m = messages_[i];
      if (!m.value && m.key && !m.key->empty()) tombstones.push_back(static_cast<uint32_t>(i));
    }
    if (tombstones.empty()) return;
    const uint32_t null_row = static_cast<uint32_t>(values->num_rows());
    Batch with_null = Batch::Empty(config_.value.schema);
    with_null.Append(*values);
    for (size_t c = 0; c < with_null.num_columns(); ++c) with_null.mutable_column(c)->AppendNull();
    with_null.set_num_rows(null_row + 1);
    std::vector<uint32_t> order, messages;
    size_t v = 0, t = 0;
    while (v < row_message->size() || t < tombstones.size()) {
      if (t == tombstones.size() ||
          (v < row_message->size() && (*row_message)[v] < tombstones[t])) {
        order.push_back(static_cast<uint32_t>(v));
        messages.push_back((*row_message)[v++]);
      } else {
        order.push_back(null_row);
        messages.push_back(tombstones[t++]);
      }
    }
    *values = with_null.Gather(order.data(), order.size());
    *row_message = std::move(messages);
  }

  ColumnPtr MetadataColumn(const PartitionState& p, KafkaMetadata kind,
                           const std::vector<uint32_t>& row_message) const {
    const size_t rows = row_message.size();
    switch (kind) {
      case KafkaMetadata::kTopic:
        return Column::Constant(Value::Varchar(p.topic), LogicalType::Varchar(), rows);
      case KafkaMetadata::kPartition:
        return Column::Constant(Value::Int(p.partition), LogicalType::Int(), rows);
      case KafkaMetadata::kLeaderEpoch:
        return Column::Constant(Value::Null(LogicalType::Int()), LogicalType::Int(), rows);
      case KafkaMetadata::kOffset: {
        auto column = std::make_shared<Column>(LogicalType::Bigint(), rows);
        column->Resize(rows);
        int64_t* data = column->data<int64_t>();
        for (size_t r = 0; r < rows; ++r) data[r] = messages_[row_message[r]].offset;
        return column;
      }
      case KafkaMetadata::kTimestamp: {
        auto column = std::make_shared<Column>(LogicalType::TimestampLtz(3), rows);
        column->Resize(rows);
        int64_t* data = column->data<int64_t>();
        for (size_t r = 0; r < rows; ++r) {
          const MessageInfo& m = messages_[row_message[r]];
          if (m.timestamp_type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE || m.timestamp_ms < 0) {
            column->SetNull(r, true);
          } else {
            data[r] = m.timestamp_ms * 1000;
          }
        }
        return column;
      }
      case KafkaMetadata::kTimestampType: {
        auto column = std::make_shared<Column>(LogicalType::Varchar(), rows);
        column->Resize(rows);
        static constexpr std::string_view kNames[] = {"NoTimestampType", "CreateTime",
                                                      "LogAppendTime"};
        for (size_t r = 0; r < rows; ++r) {
          int type = messages_[row_message[r]].timestamp_type;
          // String literals outlive every column: no copy needed.
          column->data<std::string_view>()[r] = kNames[type >= 0 && type <= 2 ? type : 0];
        }
        return column;
      }
    }
    return nullptr;
  }

  // --- commits and shutdown ---

  // Commits the handed-out offsets of `only` (or of every assigned partition). Dead letters are
  // made durable first: a committed offset never points past a lost record. wait_ms < 0: in the
  // background; else waits up to wait_ms for the coordinator's answer (a rebalance or Close()
  // hands the positions over; a coordinator that is down must not block the task for long).
  Status Commit(int wait_ms, rd_kafka_topic_partition_list_t* only = nullptr, bool all = false) {
    last_commit_ = Clock::now();
    if (dead_letters_) SLUICE_RETURN_IF_ERROR(dead_letters_->Flush());
    for (auto& [tp, p] : assigned_) state_->SetNext(tp, p.next);
    if (!config_.commit_offsets || !client_.get()) return Status::OK();
    KafkaPartitionList list(rd_kafka_topic_partition_list_new(static_cast<int>(assigned_.size())));
    std::vector<PartitionState*> committed;
    for (auto& [tp, p] : assigned_) {
      if (p.next < 0 || (p.next == p.committed && !all)) continue;
      if (only) {
        bool listed = false;
        for (int i = 0; i < only->cnt && !listed; ++i) {
          listed = p.partition == only->elems[i].partition && p.topic == only->elems[i].topic;
        }
        if (!listed) continue;
      }
      rd_kafka_topic_partition_list_add(list.get(), p.topic.c_str(), p.partition)->offset = p.next;
      committed.push_back(&p);
    }
    if (list->cnt == 0) return Status::OK();
    // A failed commit is not fatal: the next one carries the same offsets, and at worst records
    // are read again (at-least-once either way).
    for (PartitionState* p : committed) p->committed = p->next;
    if (wait_ms < 0) {
      rd_kafka_commit(client_.get(), list.get(), 1);
      return Status::OK();
    }
    rd_kafka_queue_t* queue = rd_kafka_queue_new(client_.get());
    rd_kafka_commit_queue(client_.get(), list.get(), queue, nullptr, nullptr);
    rd_kafka_event_t* event = rd_kafka_queue_poll(queue, wait_ms);
    if (event) rd_kafka_event_destroy(event);
    rd_kafka_queue_destroy(queue);
    return Status::OK();
  }

  Status Shutdown() {
    if (!client_.get()) return Status::OK();
    Status status;
    for (auto& [tp, p] : assigned_) {
      DropPending(p);
    }
    // Checkpoint mode commits completed checkpoints only (NotifyCheckpointComplete).
    if (!state_->checkpointing) status = Commit(kCloseCommitWaitMs, nullptr, /*all=*/true);
    // Leaves the group (the revoke callback commits again: harmless) so the partitions move to
    // the other members now rather than after the session timeout.
    rd_kafka_consumer_close(client_.get());
    assigned_.clear();
    last_ = nullptr;
    if (queue_) rd_kafka_queue_destroy(queue_);
    queue_ = nullptr;
    client_.handle.reset();
    if (dead_letters_ && status.ok()) status = dead_letters_->Flush();
    return status;
  }

  const KafkaTableConfig config_;
  const TableContext context_;
  std::shared_ptr<KafkaSourceState> state_;
  const int index_;
  const int readers_;  // splits of the source: reader index_ of readers_ (static assignment)
  std::shared_ptr<SourceErrorCounters> errors_;
  std::unique_ptr<RecordDecoder> value_decoder_;
  std::unique_ptr<RecordDecoder> key_decoder_;
  std::unique_ptr<DeadLetterWriter> dead_letters_;

  KafkaClient client_;
  rd_kafka_queue_t* queue_ = nullptr;
  std::vector<rd_kafka_message_t*> buffer_;
  std::map<TopicPartition, PartitionState> assigned_;
  std::vector<int64_t> added_streams_;
  std::vector<int64_t> ended_streams_;
  std::vector<MessageInfo> messages_;
  PartitionState* last_ = nullptr;
  int64_t last_stream_ = 0;
  Status error_;
  bool had_assignment_ = false;
  bool rebalancing_ = false;
  Clock::time_point last_commit_;
  std::string reset_;  // the effective auto.offset.reset: "earliest", "latest" or "error"

  // Checkpoint mode.
  std::shared_ptr<KafkaSourceControl> control_;
  size_t order_seen_ = 0;  // positions of the partition order already looked at
  std::map<TopicPartition, KafkaPartitionPosition> restored_;
};

}  // namespace

KafkaSource::KafkaSource(KafkaTableConfig config, TableContext context)
    : config_(std::move(config)),
      context_(std::move(context)),
      state_(std::make_shared<KafkaSourceState>()) {
  state_->group_id =
      config_.group_id.empty() ? "sluice-" + config_.table + "-" + RandomHex() : config_.group_id;
}

KafkaSource::~KafkaSource() = default;

const std::string& KafkaSource::group_id() const {
  return state_->group_id;
}

uint64_t KafkaSource::positions_reset() const {
  return state_->positions_reset.load(std::memory_order_relaxed);
}

uint64_t KafkaSource::records_skipped_by_reset() const {
  return state_->records_skipped_by_reset.load(std::memory_order_relaxed);
}

Status KafkaSource::EnableCheckpointing() {
  if (num_splits_ > 0) {
    return Status::Internal("kafka: EnableCheckpointing() after ListSplits() (table '" +
                            config_.table + "')");
  }
  state_->checkpointing = true;
  return Status::OK();
}

Status KafkaSource::NotifyCheckpointComplete(CheckpointId id,
                                             const std::vector<StreamPosition>& positions) {
  // As Flink's 'commit.offsets.on.checkpoint': only to a group the table names.
  if (!state_->checkpointing || !config_.commit_offsets) return Status::OK();
  SLUICE_ASSIGN_OR_RETURN(std::shared_ptr<KafkaSourceControl> control, Control());
  return control->Commit(id, positions, kCheckpointCommitWaitMs);
}

Result<std::shared_ptr<KafkaSourceControl>> KafkaSource::Control() {
  return state_->control([this]() -> Result<std::unique_ptr<KafkaSourceControl>> {
    SLUICE_ASSIGN_OR_RETURN(KafkaTopicFilter filter,
                            KafkaTopicFilter::Make(config_.topics, config_.topic_pattern));
    return KafkaSourceControl::Make(config_.table, config_.properties, state_->group_id,
                                    std::move(filter));
  });
}

// Checkpoint mode: the source lists the partitions itself (kafka_assignment.h); the readers
// take their share when they open.
Result<std::vector<SourceSplit>> KafkaSource::ListStaticSplits(int parallelism) {
  SLUICE_ASSIGN_OR_RETURN(std::shared_ptr<KafkaSourceControl> control, Control());
  SLUICE_ASSIGN_OR_RETURN(auto topics, control->Refresh(kMetadataTimeoutMs));
  int readers = parallelism;
  if (config_.topic_pattern.empty()) {
    for (const std::string& topic : config_.topics) {
      if (!topics.count(topic)) {
        return Status::NotFound("table '" + config_.table + "': Kafka topic '" + topic +
                                "' does not exist");
      }
    }
    readers = std::max(1, std::min(parallelism, static_cast<int>(control->order().size())));
  }
  // Bounded tables read the partitions there were at the start (as Flink's bounded sources).
  if (config_.bounded == KafkaBoundedMode::kUnbounded) {
    control->StartDiscovery(config_.discovery_interval_ms);
  }
  num_splits_ = readers;
  return MakeSplits(readers);
}

std::vector<SourceSplit> KafkaSource::MakeSplits(int readers) const {
  std::string name;
  if (!config_.topic_pattern.empty()) {
    name = config_.topic_pattern;
  } else {
    for (const std::string& topic : config_.topics) name += (name.empty() ? "" : ";") + topic;
  }
  std::vector<SourceSplit> splits;
  for (int i = 0; i < readers; ++i) {
    splits.push_back(
        {"kafka:" + name + "#" + std::to_string(i) + "/" + std::to_string(readers), i});
  }
  return splits;
}

Result<std::vector<SourceSplit>> KafkaSource::ListSplits(int parallelism) {
  parallelism = std::max(1, parallelism);
  if (state_->checkpointing) return ListStaticSplits(parallelism);
  int readers = parallelism;
  if (config_.topic_pattern.empty()) {
    // A consumer's metadata requests do not auto-create topics (a producer's would).
    KafkaProperties properties = config_.properties;
    properties.erase("group.id");
    SLUICE_ASSIGN_OR_RETURN(KafkaClient client, MakeKafkaClient(RD_KAFKA_CONSUMER, properties));
    auto topics = ListTopicPartitions(client, kMetadataTimeoutMs);
    if (!topics.ok()) return topics.status().WithContext("table '" + config_.table + "'");
    int partitions = 0;
    for (const std::string& topic : config_.topics) {
      auto it = topics->find(topic);
      if (it == topics->end()) {
        return Status::NotFound("table '" + config_.table + "': Kafka topic '" + topic +
                                "' does not exist");
      }
      partitions += static_cast<int>(it->second.size());
    }
    readers = std::max(1, std::min(parallelism, partitions));
  }
  num_splits_ = readers;
  return MakeSplits(readers);
}

Result<std::unique_ptr<SplitReader>> KafkaSource::CreateReader(const SourceSplit& split) {
  if (split.index < 0 || split.index >= std::max(num_splits_, 1)) {
    return Status::Internal("kafka: split " + split.id + " was not listed by this source");
  }
  return std::unique_ptr<SplitReader>(std::make_unique<KafkaSplitReader>(
      config_, context_, state_, split.index, std::max(num_splits_, 1)));
}

Result<std::unique_ptr<Source>> MakeKafkaSource(const TableContext& context, bool upsert) {
  SLUICE_ASSIGN_OR_RETURN(KafkaTableConfig config, ParseKafkaSourceConfig(context, upsert));
  return std::unique_ptr<Source>(std::make_unique<KafkaSource>(std::move(config), context));
}

}  // namespace sluice
