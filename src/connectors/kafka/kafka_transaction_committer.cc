#include "connectors/kafka/kafka_transaction_committer.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <thread>

#include "common/crash_point.h"

namespace sluice {

namespace {

constexpr int kMaxCallTimeoutMs = 30000;
constexpr auto kFirstBackoff = std::chrono::milliseconds(100);
constexpr auto kMaxBackoff = std::chrono::seconds(5);

struct ErrorDeleter {
  void operator()(rd_kafka_error_t* e) const { rd_kafka_error_destroy(e); }
};
using ErrorPtr = std::unique_ptr<rd_kafka_error_t, ErrorDeleter>;

struct GroupMetadataDeleter {
  void operator()(rd_kafka_consumer_group_metadata_t* m) const {
    rd_kafka_consumer_group_metadata_destroy(m);
  }
};

std::string MarkerGroup(const std::string& transactional_id) {
  return transactional_id + ".ckpt";
}

// Errors that no retry can fix: a damaged epoch log, a bad client property.
bool Permanent(const Status& status) {
  return status.code() == ErrorCode::kIoError || status.code() == ErrorCode::kInvalidOption ||
         status.code() == ErrorCode::kInvalidArgument;
}

std::string Describe(rd_kafka_error_t* error) {
  std::string out = rd_kafka_error_string(error);
  if (rd_kafka_error_is_fatal(error)) out += " (fatal)";
  return out;
}

}  // namespace

KafkaTransactionCommitter::KafkaTransactionCommitter(KafkaTableConfig config, std::string sink_dir,
                                                     std::string prefix)
    : config_(std::move(config)),
      sink_dir_(std::move(sink_dir)),
      prefix_(std::move(prefix)),
      what_(std::string(config_.upsert ? "upsert-kafka" : "kafka") + " sink '" + config_.table +
            "'") {
  auto it = config_.properties.find("transaction.timeout.ms");
  if (it != config_.properties.end()) {
    char* end = nullptr;
    long long ms = std::strtoll(it->second.c_str(), &end, 10);
    if (end && *end == '\0' && ms > 0) transaction_timeout_ms_ = ms;
  }
}

KafkaTransactionCommitter::~KafkaTransactionCommitter() {
  // Whatever is still open is aborted by the next init_transactions of the same id.
  for (auto& [id, txn] : txns_) DropProducer(txn);
}

std::string KafkaTransactionCommitter::TransactionalId(int writer) const {
  return prefix_ + "-" + std::to_string(writer);
}

KafkaTransactionCommitter::Txn& KafkaTransactionCommitter::TxnFor(int writer,
                                                                  const std::string& id) {
  Txn& txn = txns_[id];
  if (txn.id.empty()) {
    txn.id = id;
    txn.writer = writer;
  }
  return txn;
}

int KafkaTransactionCommitter::CallTimeoutMs(Clock::time_point deadline) const {
  auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<int64_t>(left, 1, kMaxCallTimeoutMs));
}

Status KafkaTransactionCommitter::Point(std::string_view name) {
  CrashPoint(name);
  if (!interrupt_) return Status::OK();
  Status status = interrupt_(name);
  if (!status.ok()) interrupted_ = true;
  return status;
}

void KafkaTransactionCommitter::DropProducer(Txn& txn) {
  txn.topic.reset();
  txn.producer.reset();
  txn.marker_known = false;  // a commit may have completed meanwhile: read it again
}

void KafkaTransactionCommitter::DeleteLog(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    std::fprintf(stderr, "sluice: %s: cannot delete committed epoch log '%s': %s\n", what_.c_str(),
                 path.c_str(), std::strerror(errno));
  }
}

Result<CheckpointId> KafkaTransactionCommitter::ReadMarker(const std::string& id,
                                                           Clock::time_point deadline) {
  KafkaProperties properties = config_.properties;
  properties["group.id"] = MarkerGroup(id);
  // Only stable (committed) offsets: an offset inside an open transaction is waited for.
  properties["isolation.level"] = "read_committed";
  properties["enable.auto.commit"] = "false";
  properties["enable.auto.offset.store"] = "false";
  properties.erase("transactional.id");
  auto client = MakeKafkaClient(RD_KAFKA_CONSUMER, properties);
  if (!client.ok()) return client.status().WithContext(what_);
  KafkaPartitionList list(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(list.get(), config_.topics[0].c_str(), 0);
  rd_kafka_resp_err_t err = rd_kafka_committed(client->get(), list.get(), CallTimeoutMs(deadline));
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) err = list->elems[0].err;
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::SinkError(what_ + ": cannot read the checkpoint marker of transactional id '" +
                             id + "' (group '" + MarkerGroup(id) + "'): " + rd_kafka_err2str(err) +
                             client->LastLogSuffix());
  }
  const int64_t offset = list->elems[0].offset;
  return offset >= 0 ? offset : 0;  // no offset: nothing committed yet
}

Status KafkaTransactionCommitter::Ready(Txn& txn, Clock::time_point deadline) {
  if (!txn.producer) {
    KafkaProperties properties = config_.properties;
    properties["transactional.id"] = txn.id;
    if (!properties.count("client.id")) {
      properties["client.id"] = "sluice-" + config_.table + "-txn-" + std::to_string(txn.writer);
    }
    SLUICE_ASSIGN_OR_RETURN(txn.producer, KafkaProducer::Make(std::move(properties), what_));
    txn.topic = txn.producer->Topic(config_.topics[0]);
    txn.marker_known = false;
    // Fences an older producer of this id and aborts its open transaction (a killed process),
    // or waits for a commit it had started.
    while (true) {
      ErrorPtr error(rd_kafka_init_transactions(txn.producer->get(), CallTimeoutMs(deadline)));
      if (!error) break;
      if (rd_kafka_error_is_retriable(error.get()) && Clock::now() < deadline) continue;
      std::string message = Describe(error.get());
      DropProducer(txn);
      return Status::SinkError(what_ + ": init_transactions of '" + txn.id +
                               "' failed: " + message);
    }
  }
  if (!txn.marker_known) {
    auto marker = ReadMarker(txn.id, deadline);
    if (!marker.ok()) {
      DropProducer(txn);
      return marker.status();
    }
    txn.marker = *marker;
    txn.marker_known = true;
  }
  return Status::OK();
}

Status KafkaTransactionCommitter::TxnError(Txn& txn, rd_kafka_error_t* error,
                                           const std::string& what, Clock::time_point deadline) {
  Status status =
      Status::SinkError(what_ + ": " + what + " of '" + txn.id + "' failed: " + Describe(error) +
                        txn.producer->client().LastLogSuffix());
  if (!rd_kafka_error_txn_requires_abort(error)) {
    DropProducer(txn);  // fatal, fenced or unexpected: a new producer replays the log
    return status;
  }
  while (true) {
    ErrorPtr abort(rd_kafka_abort_transaction(txn.producer->get(), CallTimeoutMs(deadline)));
    if (!abort) break;
    if (rd_kafka_error_is_retriable(abort.get()) && Clock::now() < deadline) continue;
    DropProducer(txn);
    break;
  }
  return status;
}

Status KafkaTransactionCommitter::ProduceLog(Txn& txn, const Epoch& epoch) {
  SLUICE_ASSIGN_OR_RETURN(auto reader, KafkaEpochLogReader::Open(epoch.path));
  KafkaLogRecord record;
  while (true) {
    SLUICE_ASSIGN_OR_RETURN(bool more, reader->Next(&record));
    if (!more) break;
    rd_kafka_headers_t* headers = nullptr;
    if (!record.headers.empty()) {
      headers = rd_kafka_headers_new(record.headers.size());
      for (const auto& [name, value] : record.headers) {
        rd_kafka_header_add(headers, name.data(), static_cast<ssize_t>(name.size()),
                            value ? value->data() : nullptr,
                            value ? static_cast<ssize_t>(value->size()) : 0);
      }
    }
    SLUICE_RETURN_IF_ERROR(txn.producer->Produce(txn.topic.get(), record.partition, record.key,
                                                 record.value, record.timestamp_ms, headers));
    SLUICE_RETURN_IF_ERROR(Point("kafka-mid-produce"));
  }
  if (epoch.records >= 0 && reader->records_read() != epoch.records) {
    return Status::IoError("epoch log '" + epoch.path + "' holds " +
                           std::to_string(reader->records_read()) + " records, its committable " +
                           std::to_string(epoch.records));
  }
  return Status::OK();
}

Status KafkaTransactionCommitter::TryCommit(Txn& txn, const std::vector<Epoch>& epochs,
                                            Clock::time_point deadline) {
  SLUICE_RETURN_IF_ERROR(Ready(txn, deadline));
  std::vector<const Epoch*> uncommitted;
  for (const Epoch& e : epochs) {
    if (e.checkpoint > txn.marker) uncommitted.push_back(&e);
  }
  if (uncommitted.empty()) return Status::OK();  // committed before (a repeated call, or a crash)
  const CheckpointId last = uncommitted.back()->checkpoint;

  if (ErrorPtr error{rd_kafka_begin_transaction(txn.producer->get())}) {
    return TxnError(txn, error.get(), "begin_transaction", deadline);
  }
  txn.producer->ResetDeliveryErrors();
  const auto start = Clock::now();
  for (const Epoch* e : uncommitted) {
    Status produced = ProduceLog(txn, *e);
    if (interrupted_) return produced;
    if (!produced.ok()) {
      // A damaged log is not retried (CommitEpochs); a producer error is, by a replay.
      ErrorPtr abort(rd_kafka_abort_transaction(txn.producer->get(), CallTimeoutMs(deadline)));
      if (abort) DropProducer(txn);
      return produced;
    }
  }
  Status flushed = txn.producer->Flush();
  const auto produce_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  if (produce_ms > transaction_timeout_ms_ / 2) {
    std::fprintf(stderr,
                 "sluice: warning: %s: producing checkpoint %lld took %lld ms, more than half of "
                 "'transaction.timeout.ms' (%lld ms); raise 'properties.transaction.timeout.ms' "
                 "(the broker allows up to transaction.max.timeout.ms, 15 min by default) or "
                 "checkpoint more often\n",
                 what_.c_str(), static_cast<long long>(last), static_cast<long long>(produce_ms),
                 static_cast<long long>(transaction_timeout_ms_));
  }
  if (!flushed.ok()) {
    // Undelivered messages make the transaction abortable; aborting and replaying is enough.
    ErrorPtr abort(rd_kafka_abort_transaction(txn.producer->get(), CallTimeoutMs(deadline)));
    if (abort) DropProducer(txn);
    return flushed;
  }

  KafkaPartitionList offsets(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(offsets.get(), config_.topics[0].c_str(), 0)->offset = last;
  std::unique_ptr<rd_kafka_consumer_group_metadata_t, GroupMetadataDeleter> group(
      rd_kafka_consumer_group_metadata_new(MarkerGroup(txn.id).c_str()));
  while (true) {
    ErrorPtr error(rd_kafka_send_offsets_to_transaction(txn.producer->get(), offsets.get(),
                                                        group.get(), CallTimeoutMs(deadline)));
    if (!error) break;
    if (rd_kafka_error_is_retriable(error.get()) && Clock::now() < deadline) continue;
    return TxnError(txn, error.get(), "send_offsets_to_transaction (checkpoint marker)", deadline);
  }

  SLUICE_RETURN_IF_ERROR(Point("kafka-before-commit-transaction"));
  while (true) {
    ErrorPtr error(rd_kafka_commit_transaction(txn.producer->get(), CallTimeoutMs(deadline)));
    if (!error) break;
    // Retriable: the commit may or may not have happened; calling again resumes it.
    if (rd_kafka_error_is_retriable(error.get()) && Clock::now() < deadline) continue;
    return TxnError(txn, error.get(), "commit_transaction", deadline);
  }
  txn.marker = last;
  txn.seen = true;
  SLUICE_RETURN_IF_ERROR(Point("kafka-after-commit-before-log-delete"));
  return Status::OK();
}

Status KafkaTransactionCommitter::CommitEpochs(Txn& txn, const std::vector<Epoch>& epochs,
                                               Clock::time_point deadline) {
  auto backoff = std::chrono::duration_cast<std::chrono::milliseconds>(kFirstBackoff);
  const auto start = Clock::now();
  for (int attempt = 1;; ++attempt) {
    Status status = TryCommit(txn, epochs, deadline);
    if (status.ok()) break;
    if (interrupted_ || Permanent(status)) return status;
    if (Clock::now() + backoff >= deadline) {
      const auto seconds =
          std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start).count();
      return status.WithContext("gave up after " + std::to_string(attempt) + " attempts in " +
                                std::to_string(seconds) + " s ('sink.commit.timeout')");
    }
    // Most messages already name the sink.
    const std::string& message = status.message();
    const std::string named =
        message.compare(0, what_.size(), what_) == 0 ? message : what_ + ": " + message;
    std::fprintf(stderr, "sluice: %s; retrying in %lld ms\n", named.c_str(),
                 static_cast<long long>(backoff.count()));
    std::this_thread::sleep_for(backoff);
    backoff =
        std::min(backoff * 2, std::chrono::duration_cast<std::chrono::milliseconds>(kMaxBackoff));
  }
  for (const Epoch& e : epochs) {
    if (e.checkpoint <= txn.marker) DeleteLog(e.path);
  }
  return Status::OK();
}

Status KafkaTransactionCommitter::Commit(CheckpointId id,
                                         const std::vector<Committable>& committables) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(config_.commit_timeout_ms);
  // Per transactional id, its epochs in order (normally one per writer and checkpoint).
  std::map<std::string, std::pair<int, std::vector<Epoch>>> by_id;
  for (const Committable& c : committables) {
    if (c.data.empty()) continue;  // an empty epoch: nothing to produce, the marker stays
    SLUICE_ASSIGN_OR_RETURN(KafkaEpochCommittable decoded, DecodeKafkaCommittable(c.data));
    auto& [writer, epochs] = by_id[decoded.transactional_id];
    writer = c.writer;
    epochs.push_back({c.checkpoint, sink_dir_ + "/" + decoded.path, decoded.records});
  }
  for (auto& [tid, entry] : by_id) {
    auto& [writer, epochs] = entry;
    std::sort(epochs.begin(), epochs.end(),
              [](const Epoch& a, const Epoch& b) { return a.checkpoint < b.checkpoint; });
    Txn& txn = TxnFor(writer, tid);
    if (!txn.seen) {
      // First use in this process and Recover() did not see this id: a marker at or above an
      // epoch never produced here was left by another run (a deleted checkpoint directory, a
      // reused prefix). Skipping would lose output silently.
      SLUICE_RETURN_IF_ERROR(Ready(txn, deadline));
      if (txn.marker >= epochs.front().checkpoint) {
        return Status::SinkError(
            what_ + ": transactional id '" + tid + "' already committed checkpoint " +
            std::to_string(txn.marker) + " in another run, but this run is at checkpoint " +
            std::to_string(epochs.front().checkpoint) +
            "; its output would be dropped as a duplicate. Resume from the latest checkpoint, or "
            "set another 'sink.transactional-id-prefix'");
      }
      txn.seen = true;
    }
    SLUICE_RETURN_IF_ERROR(
        CommitEpochs(txn, epochs, deadline).WithContext("checkpoint " + std::to_string(id)));
  }
  return Status::OK();
}

Status KafkaTransactionCommitter::Recover(CheckpointId restored,
                                          const std::vector<Committable>& pending) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(config_.commit_timeout_ms);
  struct Plan {
    int writer = 0;
    std::map<CheckpointId, Epoch> epochs;  // pending committables and finished logs on disk
    std::vector<std::string> leftovers;    // unfinished logs of a dead run
  };
  std::map<std::string, Plan> plans;
  std::set<std::string> claimed;  // logs of pending committables (their id may be an old prefix)
  for (const Committable& c : pending) {
    if (c.data.empty()) continue;
    SLUICE_ASSIGN_OR_RETURN(KafkaEpochCommittable decoded, DecodeKafkaCommittable(c.data));
    Plan& plan = plans[decoded.transactional_id];
    plan.writer = c.writer;
    const std::string path = sink_dir_ + "/" + decoded.path;
    plan.epochs[c.checkpoint] = {c.checkpoint, path, decoded.records};
    claimed.insert(path);
  }
  // Writers of any earlier parallelism: every directory is someone's (ids from this prefix).
  SLUICE_ASSIGN_OR_RETURN(std::vector<int> writers, ListKafkaWriterDirs(sink_dir_));
  for (int w : writers) {
    const std::string dir = sink_dir_ + "/" + std::to_string(w);
    SLUICE_ASSIGN_OR_RETURN(KafkaWriterDirListing listing, ListKafkaWriterDir(dir));
    Plan& plan = plans[TransactionalId(w)];
    plan.writer = w;
    for (const auto& [checkpoint, name] : listing.logs) {
      const std::string path = dir + "/" + name;
      if (!claimed.count(path)) plan.epochs.emplace(checkpoint, Epoch{checkpoint, path, -1});
    }
    for (const std::string& name : listing.others) plan.leftovers.push_back(dir + "/" + name);
  }

  // First every marker (init_transactions aborts what the dead run left open), so that a refusal
  // happens before anything is produced.
  for (auto& [tid, plan] : plans) {
    Txn& txn = TxnFor(plan.writer, tid);
    Status ready;
    auto backoff = std::chrono::duration_cast<std::chrono::milliseconds>(kFirstBackoff);
    while (!(ready = Ready(txn, deadline)).ok() && !Permanent(ready) &&
           Clock::now() + backoff < deadline) {
      std::this_thread::sleep_for(backoff);
      backoff =
          std::min(backoff * 2, std::chrono::duration_cast<std::chrono::milliseconds>(kMaxBackoff));
    }
    SLUICE_RETURN_IF_ERROR(ready);
    if (txn.marker > restored) {
      const std::string range = restored + 1 == txn.marker ? std::to_string(txn.marker)
                                                           : std::to_string(restored + 1) + ".." +
                                                                 std::to_string(txn.marker);
      const std::string restoring = restored > 0
                                        ? "restoring checkpoint " + std::to_string(restored)
                                        : "starting without a checkpoint";
      return Status::SinkError(
          what_ + ": transactional id '" + tid + "' has committed checkpoint " +
          std::to_string(txn.marker) + " to topic '" + config_.topics[0] + "': " + restoring +
          " would write checkpoint" + (restored + 1 == txn.marker ? " " : "s ") + range +
          " twice. Restore checkpoint " + std::to_string(txn.marker) +
          " or a later one, or write to another topic or 'sink.transactional-id-prefix'");
    }
  }
  for (auto& [tid, plan] : plans) {
    Txn& txn = txns_.at(tid);
    txn.seen = true;
    std::vector<Epoch> replay;
    for (auto& [checkpoint, epoch] : plan.epochs) {
      if (checkpoint > txn.marker && checkpoint <= restored) replay.push_back(epoch);
    }
    if (!replay.empty()) {
      SLUICE_RETURN_IF_ERROR(CommitEpochs(txn, replay, deadline)
                                 .WithContext("recovering checkpoint " + std::to_string(restored)));
    }
    // Committed ones (at or below the marker) and discarded ones (above the restored id: they
    // will be produced again), and whatever a dead writer left half-written.
    for (auto& [checkpoint, epoch] : plan.epochs) {
      if (checkpoint <= txn.marker || checkpoint > restored) DeleteLog(epoch.path);
    }
    for (const std::string& path : plan.leftovers) DeleteLog(path);
  }
  return Status::OK();
}

}  // namespace sluice
