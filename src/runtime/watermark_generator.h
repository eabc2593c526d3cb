#pragma once
// WatermarkGenerator: one source split's watermark, from the table's WATERMARK FOR clause,
// computed with Flink's per-row semantics but emitted batch-wise.
//
// Conceptually the split's watermark advances after every row to max(watermark, expr(row)) (a
// NULL expression leaves it unchanged). A row can only be late if its rowtime is <= the watermark
// in force before it, so a batch is cut just before such a row whenever that watermark has not
// been emitted yet: the rows before the cut go out, then the watermark, then the rest. Rows whose
// rowtime is above the watermark can never be late, so keeping them together changes nothing —
// results are identical to emitting a watermark after every row.
//
// Fast path: `rowtime - INTERVAL 'n' unit` (WatermarkDef::fixed_delay_micros) is computed inline;
// other expressions are evaluated per batch by the ExpressionEvaluator over the full table row.
// A table without a watermark never cuts and stays at kMinWatermark.
//
// One per split, used from the owning source task's thread only.

#include <memory>
#include <string>
#include <vector>

#include "exec/expr/evaluator.h"
#include "exec/plan/table_def.h"

namespace sluice {

class WatermarkGenerator {
 public:
  /// Emit rows [previous cut's end, end), then the split watermark `watermark`.
  struct Cut {
    size_t end;
    int64_t watermark;
  };

  static Result<std::unique_ptr<WatermarkGenerator>> Create(const TableDef& table,
                                                            const EvalContext& context);
  ~WatermarkGenerator();

  /// Cuts `rows` (full table rows); the last cut always ends at rows.num_rows(). A NULL rowtime
  /// is a RuntimeError naming the table (Flink fails the same way).
  Status Plan(const Batch& rows, std::vector<Cut>* cuts);
  /// An explicit watermark: the split's watermark becomes max(current, watermark).
  void AdvanceTo(int64_t watermark);
  int64_t current() const { return current_; }

 private:
  WatermarkGenerator() = default;

  std::string table_;
  std::string rowtime_name_;
  int rowtime_column_ = -1;  // -1: the table has no watermark
  bool fixed_delay_ = false;
  int64_t delay_micros_ = 0;
  std::unique_ptr<ExpressionEvaluator> expression_;
  int64_t current_;
  std::vector<int64_t> candidates_;  // per-row watermark for the expression path
  std::vector<uint8_t> candidate_valid_;
};

}  // namespace sluice
