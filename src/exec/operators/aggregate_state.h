#pragma once
// AggregateState: the accumulators of one aggregate call for all groups of one table, stored as
// flat arrays indexed by group id (struct of arrays). Every method works on many groups at once,
// so the virtual call is paid per batch, never per row.
//
// Semantics follow Flink's built-in aggregate functions:
//   COUNT(*) / COUNT(x)   BIGINT; COUNT(x) skips NULLs
//   SUM                   NULL when no non-NULL input; INT and BIGINT wrap around on overflow like
//                         Java's int/long; DECIMAL(38, s) becomes NULL beyond 38 digits
//   AVG                   NULL when no non-NULL input; INT/BIGINT use integer division truncated
//                         towards zero; DECIMAL is DECIMAL(38, max(6, s)) rounded half up
//   MIN / MAX             NULL when no non-NULL input; VARCHAR compares bytes (as Flink's
//                         StringData), DOUBLE uses Java's Double.compare order (NaN largest)
//   DISTINCT              COUNT/SUM/AVG over the distinct non-NULL values; MIN/MAX ignore it
// Retraction (-U/-D input rows) is supported by every state; MIN/MAX need `retractable` at
// creation, which keeps a value -> count map per group instead of a single value.

#include <cstdint>
#include <memory>
#include <vector>

#include "columnar/column.h"
#include "common/status.h"
#include "exec/plan/aggregate_call.h"
#include "runtime/state_codec.h"

namespace sluice {

class AggregateState {
 public:
  explicit AggregateState(LogicalType result_type) : result_type_(result_type) {}
  virtual ~AggregateState() = default;

  const LogicalType& result_type() const { return result_type_; }

  /// A new state of the same kind with no groups (for another slice, or a merged window).
  virtual std::unique_ptr<AggregateState> CloneEmpty() const = 0;
  /// Makes room for group ids [0, groups); groups not seen before start empty.
  virtual void Resize(size_t groups) = 0;
  /// Empties groups[0..count) (ids that are reused after an erase).
  virtual void Clear(const uint32_t* groups, size_t count) = 0;
  /// Adds row rows[i] of `argument` to group groups[i], or removes it when retract[i] != 0
  /// (retract may be null: all rows are added). `argument` is null for COUNT(*).
  virtual void Update(const Column* argument, const uint32_t* rows, const uint32_t* groups,
                      const uint8_t* retract, size_t count) = 0;
  /// Adds rows rows[0..count) of `argument` to the one group `group` (no group keys): the
  /// specialised path for global windows, which keeps the accumulator in a register.
  virtual void UpdateGroup(const Column* argument, const uint32_t* rows, uint32_t group,
                           size_t count);
  /// Adds group source_groups[i] of `source` (a state of the same kind) to group groups[i].
  virtual void Merge(const AggregateState& source, const uint32_t* source_groups,
                     const uint32_t* groups, size_t count) = 0;
  /// Results of groups[0..count), in that order, as a column of result_type().
  virtual ColumnPtr Finalize(const uint32_t* groups, size_t count) = 0;

  // Checkpoints (docs/design/checkpoints.md §4.1).
  /// Group ids the arrays hold (the last Resize).
  virtual size_t groups() const = 0;
  /// Writes every group's accumulators, after a tag naming the implementation: flat arrays as
  /// they are, per-group maps and sets as flat (sizes, values, counts) arrays.
  virtual void WriteState(StateEncoder& out) const = 0;
  /// Replaces all groups with what WriteState of the same implementation wrote.
  virtual Status ReadState(StateDecoder& in) = 0;
  /// About the bytes WriteState writes (at least as many for flat arrays), so the encoder's
  /// buffer is allocated once instead of growing by copies.
  virtual size_t StateBytes() const = 0;

 private:
  LogicalType result_type_;
  std::vector<uint32_t> same_group_;  // UpdateGroup's default: the group repeated
};

/// The result type of `call`: call.result_type, or Flink's rule when the planner left it unset.
Result<LogicalType> ResolveResultType(const AggregateCall& call);

/// An empty state for `call`, or an Unsupported error for an aggregate/type pair sluice lacks.
Result<std::unique_ptr<AggregateState>> CreateAggregateState(const AggregateCall& call,
                                                             bool retractable);

}  // namespace sluice
