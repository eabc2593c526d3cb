#pragma once
// CalcOperator: WHERE filter and SELECT projections of one input (EXPLAIN name "Calc").
//
// The filter yields a selection vector; projections are evaluated on the selected rows only. A
// projection that is a plain column reference is passed through without copying when every row
// is kept, and gathered otherwise. Row kinds travel with their rows. Batches left empty by the
// filter are not emitted.

#include <memory>
#include <string>
#include <vector>

#include "exec/expr/evaluator.h"
#include "exec/plan/plan_node.h"
#include "runtime/operator.h"

namespace sluice {

class CalcOperator final : public Operator {
 public:
  static Result<std::unique_ptr<Operator>> Create(const CalcNode& node);

  /// Builds the evaluators in the session time zone.
  Status Open(OperatorContext& context) override;
  Status Process(Batch batch, Collector& out) override;
  Status OnWatermark(int64_t watermark, Collector& out) override;
  std::string Name() const override { return "Calc"; }
  bool HasState() const override { return false; }

 private:
  CalcOperator(ExprPtr filter, std::vector<ExprPtr> projections);

  ExprPtr filter_expr_;
  std::vector<ExprPtr> projection_exprs_;
  std::unique_ptr<ExpressionEvaluator> filter_;
  std::vector<std::unique_ptr<ExpressionEvaluator>> projections_;  // null for column references
  std::vector<uint32_t> selection_;
};

}  // namespace sluice
