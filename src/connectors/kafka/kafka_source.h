#pragma once
// KafkaSource: the kafka connector's source. Reading is done by consumer groups, not by fixed
// partition lists: every split is one parallel reader with its own librdkafka consumer in the
// table's group ('properties.group.id', or a generated one shared by this source's readers), so
// readers — and other sluice processes in the same group — split the partitions, and the
// partitions of a reader that goes away move to the others.
//
// Per partition (a *stream*, SplitReader::LastPollStream() = topic index << 32 | partition):
//   - start: the startup mode is applied the first time this source sees the partition
//     (earliest / latest / timestamp / specific offsets / the group's committed offset with
//     'properties.auto.offset.reset' as fallback, 'none' by default as Flink). A partition that
//     comes back to a reader of the same source (rebalance) continues where it was left.
//   - bounded end ('scan.bounded.mode'): fixed when the partition is first seen (latest-offset =
//     its high watermark then). A reader ends when every partition it holds reached its end.
//   - Poll() returns the messages of one partition per batch (at most max_rows), decoded with the
//     value (and key) formats; message bytes are copied into one padded block per batch that the
//     batch's string columns keep alive (the JSON decoder parses in place, no copy per record).
//   - commits: the offsets handed to the runtime are committed to the group every 5 s, when
//     partitions are revoked, and on Close() (at-least-once; only with a configured group id).
//   - undecodable messages: to the table's dead-letter writer (counted), skipped under the
//     format's ignore-parse-errors (counted), else the job fails naming topic[partition]@offset.
//
// Checkpoint mode (EnableCheckpointing(), docs/design/checkpoints.md §1.2): no group membership.
// The source lists the table's partitions in one order (kafka_assignment.h) and reader k of n
// assigns itself those at positions i % n == k; partitions discovered later
// ('scan.topic-partition-discovery.interval', unbounded tables) are appended to the order and
// taken by the same rule, never moved. Each partition is a stream "topic/partition" whose
// position is the offset after the last row handed to the runtime, with its bounded end
// (kafka_source_position.h). A restore seeks to the saved positions; a saved position that
// retention deleted follows 'properties.auto.offset.reset' (counted, reported, or an error for
// 'none'). The group id only names the offsets NotifyCheckpointComplete() commits; nothing is
// committed otherwise.

#include <memory>
#include <string>
#include <vector>

#include "connectors/connector.h"
#include "connectors/kafka/kafka_options.h"

namespace sluice {

class KafkaSourceControl;
class KafkaSourceState;

class KafkaSource final : public Source {
 public:
  KafkaSource(KafkaTableConfig config, TableContext context);
  ~KafkaSource() override;

  /// min(parallelism, partitions of the listed topics) readers; `parallelism` for a pattern.
  /// Checks that listed topics exist (the cluster must answer within 30 s).
  Result<std::vector<SourceSplit>> ListSplits(int parallelism) override;
  Result<std::unique_ptr<SplitReader>> CreateReader(const SourceSplit& split) override;
  bool IsBounded() const override { return config_.bounded != KafkaBoundedMode::kUnbounded; }

  /// Checkpoint mode: static assignment, no periodic commits (see above). Before ListSplits().
  Status EnableCheckpointing() override;
  /// Commits the positions' offsets to the group (with a configured group id, unless
  /// 'properties.commit.offsets.on.checkpoint' = 'false'). From the coordinator's thread.
  Status NotifyCheckpointComplete(CheckpointId id,
                                  const std::vector<StreamPosition>& positions) override;

  /// The consumer group readers join (configured or generated).
  const std::string& group_id() const;

  /// Restored positions that were out of the partitions' range (deleted by retention, or past
  /// the end) and were moved by 'properties.auto.offset.reset'; the records skipped that way.
  uint64_t positions_reset() const;
  uint64_t records_skipped_by_reset() const;

 private:
  Result<std::vector<SourceSplit>> ListStaticSplits(int parallelism);
  Result<std::shared_ptr<KafkaSourceControl>> Control();
  std::vector<SourceSplit> MakeSplits(int readers) const;

  KafkaTableConfig config_;
  TableContext context_;
  std::shared_ptr<KafkaSourceState> state_;
  int num_splits_ = 0;
};

/// make_source of kafka (upsert = false) and upsert-kafka. upsert-kafka reads from the earliest
/// offset (as Flink) and emits a changelog: +U per record, -D (key columns only) per tombstone;
/// records of one key are in one partition, so in order. It does not normalize: a +U is not
/// preceded by the -U of the row it replaces (Flink's planner adds ChangelogNormalize for that).
Result<std::unique_ptr<Source>> MakeKafkaSource(const TableContext& context, bool upsert);

}  // namespace sluice
