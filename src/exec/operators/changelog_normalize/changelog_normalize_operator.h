#pragma once
// ChangelogNormalizeOperator: Flink's ChangelogNormalize (ProcTimeDeduplicateKeepLastRow on a
// changelog), EXPLAIN name "ChangelogNormalize". It reads an upsert stream keyed by the table's
// PRIMARY KEY (a hash exchange on the key puts every row of a key into one instance) and keeps the
// last full row of each key. Per input row, in order:
//   +I/+U, new key                        +I[row]
//   +I/+U, known key, row differs         -U[previous row] +U[row]
//   +I/+U, known key, identical row       nothing (Flink drops identical updates while state
//                                         TTL is off, which sluice does not have)
//   -D/-U, known key                      -D[previous row] (the stored full row: a tombstone may
//                                         carry only the key), and the key is forgotten
//   -D/-U, unknown key                    nothing
// Identical means every column equal, metadata columns included, NULL equal to NULL — as Flink
// 1.20's record equaliser (upsert-kafka rows and the stored row are both +I there). DOUBLEs
// compare by bits (MarkChangedRows): unlike Flink's ==, NaN equals NaN and -0.0 differs from 0.0.
//
// A batch is handled at once: keys are encoded and looked up for all rows (GroupKeyCodec,
// GroupKeyTable), a scalar pass over the rows decides the events, rows are compared and the
// output gathered column by column, and the state (RowStore) is written last.

#include <memory>
#include <string>
#include <vector>

#include "exec/operators/changelog_normalize/row_store.h"
#include "exec/operators/group_key_codec.h"
#include "exec/operators/group_key_table.h"
#include "exec/plan/plan_node.h"
#include "runtime/operator.h"

namespace sluice {

class ChangelogNormalizeOperator final : public Operator {
 public:
  static Result<std::unique_ptr<Operator>> Create(const ChangelogNormalizeNode& node);

  Status Process(Batch batch, Collector& out) override;
  Status OnWatermark(int64_t watermark, Collector& out) override;
  std::string Name() const override { return "ChangelogNormalize"; }
  /// Section "changelog_normalize": the key table and the row store.
  Status SnapshotState(CheckpointId id, StateSections* out) override;
  Status RestoreState(const OperatorRestore& restore) override;

  /// Keys currently holding a row.
  size_t key_count() const { return keys_.size(); }
  const RowStore& store() const { return store_; }

 private:
  ChangelogNormalizeOperator(Schema schema, GroupKeyCodec codec);

  Status CheckInput(const Batch& batch) const;

  // Checkpoints (changelog_normalize_checkpoint.cc).
  std::string StateSchema() const;
  /// Decodes one instance's section into `keys` and `store` (empty, this operator's layout).
  Status ReadPart(const StateSectionsView* part, GroupKeyTable* keys, RowStore* store) const;

  /// What one input row causes (decided before rows are compared).
  enum class EventKind : uint8_t {
    kInsert,         // +I[row]
    kUpdateOfState,  // -U[stored row] +U[row] unless equal; a = index into the read rows
    kUpdateOfRow,    // -U[input row a] +U[row] unless equal
    kDeleteState,    // -D[stored row]; a = index into the read rows
    kDeleteRow,      // -D[input row a]
  };
  struct Event {
    EventKind kind;
    uint32_t group;
    uint32_t a;
    uint32_t row;
  };
  // cursor_ values besides input row numbers.
  static constexpr uint32_t kNoRow = 0xffffffffu;
  static constexpr uint32_t kStoredRow = 0xfffffffeu;

  Schema schema_;
  GroupKeyCodec codec_;
  GroupKeyTable keys_;
  RowStore store_;

  // Scratch, reused across batches.
  EncodedKeys encoded_;
  std::vector<uint8_t> accumulate_;  // per row: +I/+U
  std::vector<uint32_t> groups_;     // per row
  std::vector<uint32_t> created_;
  std::vector<uint32_t> touched_;  // groups in first-touch order
  std::vector<Event> events_;
  std::vector<uint32_t> read_slots_;  // stored rows the output refers to
  std::vector<uint32_t> state_pair_slots_, state_pair_rows_;
  std::vector<uint32_t> row_pair_before_, row_pair_rows_;
  std::vector<uint8_t> state_pair_differs_, row_pair_differs_;
  std::vector<uint32_t> write_rows_, write_slots_, release_slots_;
  // Per group (sized to the key table's group limit).
  std::vector<uint32_t> cursor_;  // the key's current row: kNoRow, kStoredRow or an input row
  std::vector<uint8_t> is_touched_;
  std::vector<uint8_t> is_new_;    // no stored row before this batch
  std::vector<uint8_t> is_dirty_;  // the current row differs from the stored one
};

}  // namespace sluice
