#pragma once
// AggregateLayout: what a GROUP BY (windowed or not) computes, checked once against its plan node
// — key columns and types, the aggregate calls, and one empty prototype state per call that every
// AggregateTable clones.

#include <memory>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "exec/operators/aggregate_state.h"
#include "exec/operators/group_key_codec.h"
#include "exec/plan/aggregate_call.h"

namespace sluice {

class AggregateLayout {
 public:
  /// Output layout: group keys..., aggregates..., then `trailing_columns` more (window bounds).
  /// Key types are read from the output schema; aggregate result types must match it.
  static Result<AggregateLayout> Make(const std::vector<int>& group_keys,
                                      const std::vector<AggregateCall>& calls,
                                      const Schema& output_schema, size_t trailing_columns,
                                      bool retractable);

  const GroupKeyCodec& codec() const { return codec_; }
  KeyLayout key_layout() const { return codec_.layout(); }
  size_t num_keys() const { return codec_.key_columns().size(); }
  const std::vector<AggregateCall>& calls() const { return calls_; }
  const std::vector<std::unique_ptr<AggregateState>>& prototypes() const { return prototypes_; }

  /// What checkpointed state of this layout means, for the state header: key types and per
  /// aggregate its kind, argument and result types ("keys=[VARCHAR] aggs=[SUM(DOUBLE)->DOUBLE]").
  std::string StateSchema() const;

  /// Checks that `batch` has the key and argument columns with the expected physical types
  /// (a mismatch is a planner bug, reported instead of reading memory wrongly).
  Status CheckInput(const Batch& batch) const;
  /// arguments[j] = call j's argument column of `batch` (null for COUNT(*)).
  void Arguments(const Batch& batch, std::vector<const Column*>* arguments) const;

 private:
  GroupKeyCodec codec_;
  std::vector<AggregateCall> calls_;
  std::vector<std::unique_ptr<AggregateState>> prototypes_;
  bool retractable_ = false;
};

/// Same physical representation (what a column's buffer holds).
bool SamePhysicalType(const LogicalType& a, const LogicalType& b);

}  // namespace sluice
