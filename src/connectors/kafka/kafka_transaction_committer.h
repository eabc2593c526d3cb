#pragma once
// The committer of the exactly-once Kafka sink (docs/design/checkpoints.md §3.3).
//
// Each writer w has the transactional id '<prefix>-<w>' and a marker: the offset committed for
// group '<transactional id>.ckpt' on (sink topic, partition 0), whose value is the last
// checkpoint (epoch) of w that is visible in Kafka. Commit produces an epoch log and moves the
// marker in one transaction, so "output visible" and "marker moved" happen together; reading the
// marker after init_transactions (which aborts or completes whatever a dead process left) tells
// exactly which epochs are committed. Logs at or below the marker are deleted.
//
// Failures: a retriable commit is retried, an abortable one aborted and redone, anything else
// (fatal, fenced, librdkafka bugs) gets a new producer and a full replay of the log, with
// backoff, for at most 'sink.commit.timeout'.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/kafka/kafka_epoch_log.h"
#include "connectors/kafka/kafka_options.h"
#include "connectors/kafka/kafka_producer.h"
#include "runtime/sink.h"

namespace sluice {

class KafkaTransactionCommitter final : public SinkCommitter {
 public:
  /// `sink_dir`: <state_dir>/sinks/<sink uid>; `prefix`: the resolved transactional id prefix.
  KafkaTransactionCommitter(KafkaTableConfig config, std::string sink_dir, std::string prefix);
  ~KafkaTransactionCommitter() override;

  Status Recover(CheckpointId restored, const std::vector<Committable>& pending) override;
  Status Commit(CheckpointId id, const std::vector<Committable>& committables) override;

  /// '<prefix>-<writer>'.
  std::string TransactionalId(int writer) const;

  /// Tests: called at every crash point with its name; an error makes the committer stop there
  /// as a killed process would (no abort, no clean-up). Destroy it afterwards.
  void set_interrupt_for_testing(std::function<Status(std::string_view point)> interrupt) {
    interrupt_ = std::move(interrupt);
  }

 private:
  struct Epoch {
    CheckpointId checkpoint = 0;
    std::string path;      // absolute
    int64_t records = -1;  // -1: unknown (a log found on disk without its committable)
  };
  // One transactional id: its producer (created lazily, init_transactions done) and marker.
  struct Txn {
    int writer = 0;
    std::string id;
    std::unique_ptr<KafkaProducer> producer;
    KafkaTopicHandle topic;
    CheckpointId marker = 0;
    bool marker_known = false;
    bool seen = false;  // recovered or committed by this committer
  };
  using Clock = std::chrono::steady_clock;

  Txn& TxnFor(int writer, const std::string& id);
  // Producer + init_transactions + marker; on failure the producer is dropped.
  Status Ready(Txn& txn, Clock::time_point deadline);
  Result<CheckpointId> ReadMarker(const std::string& id, Clock::time_point deadline);
  void DropProducer(Txn& txn);
  // Commits `epochs` (sorted) of one id in one transaction, retrying until `deadline`.
  Status CommitEpochs(Txn& txn, const std::vector<Epoch>& epochs, Clock::time_point deadline);
  Status TryCommit(Txn& txn, const std::vector<Epoch>& epochs, Clock::time_point deadline);
  Status ProduceLog(Txn& txn, const Epoch& epoch);
  // Classifies a transactional API error: abort (keeping the producer) or drop the producer.
  Status TxnError(Txn& txn, rd_kafka_error_t* error, const std::string& what,
                  Clock::time_point deadline);
  Status Point(std::string_view name);
  void DeleteLog(const std::string& path);
  int CallTimeoutMs(Clock::time_point deadline) const;

  const KafkaTableConfig config_;
  const std::string sink_dir_;
  const std::string prefix_;
  const std::string what_;
  int64_t transaction_timeout_ms_ = 60000;
  std::map<std::string, Txn> txns_;
  std::function<Status(std::string_view)> interrupt_;
  bool interrupted_ = false;
};

}  // namespace sluice
