#include "exec/expr/evaluator.h"

#include <chrono>

#include "exec/expr/row_selection.h"
#include "exec/functions/scalar_function.h"
#include "exec/functions/type_coercion.h"

namespace sluice {

namespace {

enum class NodeOp : uint8_t {
  kColumn,    // a batch column
  kConstant,  // a literal, or a folded deterministic subtree
  kKernel,    // a function call or CAST: children evaluated, then one kernel call
  kAnd,       // the right side runs only where the left is not FALSE
  kOr,        // ... only where the left is not TRUE
  kCase,      // each branch runs only on the rows that reach it
  kIf,        // CASE with one branch
  kCoalesce,  // each argument runs only where the previous ones were NULL
};

// The evaluator's form of a BoundExpr: kernels resolved, constants folded.
struct Node {
  NodeOp op = NodeOp::kConstant;
  LogicalType type;
  int column = -1;
  Datum constant;
  std::vector<Node> children;
  ResolvedKernel kernel;
  Status error;  // a resolve failure, reported when the node runs on some rows
  bool try_cast = false;
  bool has_else = false;
  bool deterministic = true;
  bool per_row = false;
  // Every child is a column or constant: evaluating all of them costs no more than narrowing.
  bool simple_children = false;

  bool IsLeaf() const { return op == NodeOp::kColumn || op == NodeOp::kConstant; }
  // A comparison-like call on columns and constants: it cannot fail and costs about as much as
  // narrowing the rows for it would.
  bool IsCheapPredicate() const {
    return op == NodeOp::kKernel && simple_children && kernel.select != nullptr && error.ok();
  }
};

bool IsTrueAt(const Datum& d, size_t i) {
  return !d.IsNull(i) && d.data<uint8_t>()[d.constant ? 0 : i] != 0;
}

std::vector<uint32_t> AllPositions(size_t count) {
  std::vector<uint32_t> p(count);
  for (size_t i = 0; i < count; ++i) p[i] = static_cast<uint32_t>(i);
  return p;
}

ColumnPtr NewColumn(const LogicalType& type, size_t count) {
  auto column = std::make_shared<Column>(type, count);
  column->Resize(count);
  return column;
}

}  // namespace

struct ExpressionEvaluator::Impl {
  EvalContext context;
  Node root;
  int64_t now_micros = 0;

  explicit Impl(EvalContext ctx) : context(std::move(ctx)) {}

  KernelContext MakeContext(const Node& node) const {
    KernelContext ctx;
    ctx.time_zone = &context.time_zone;
    ctx.state = node.kernel.state.get();
    ctx.now_micros = now_micros;
    ctx.try_cast = node.try_cast;
    return ctx;
  }

  // --- compilation ---

  Node Compile(const BoundExpr& e) {
    Node node;
    node.type = e.type;
    switch (e.kind) {
      case ExprKind::kColumnRef:
        node.op = NodeOp::kColumn;
        node.column = e.column;
        return node;
      case ExprKind::kLiteral:
        node.op = NodeOp::kConstant;
        node.constant = Datum{Column::Constant(e.literal, e.type, 1), true};
        return node;
      case ExprKind::kCast: {
        Node child = Compile(*e.children[0]);
        if (SameType(child.type, e.type)) return child;
        node.op = NodeOp::kKernel;
        node.try_cast = e.try_cast;
        Result<ResolvedKernel> kernel = ResolveCast(child.type, e.type);
        if (kernel.ok()) {
          node.kernel = *kernel;
        } else {
          node.error = kernel.status();
        }
        node.children.push_back(std::move(child));
        break;
      }
      case ExprKind::kCase:
        node.op = NodeOp::kCase;
        node.has_else = e.has_else;
        for (const ExprPtr& c : e.children) node.children.push_back(Compile(*c));
        break;
      case ExprKind::kCall:
        for (const ExprPtr& c : e.children) node.children.push_back(Compile(*c));
        CompileCall(e, &node);
        break;
    }
    node.simple_children = true;
    for (const Node& c : node.children) node.simple_children &= c.IsLeaf();
    Fold(&node);
    return node;
  }

  void CompileCall(const BoundExpr& e, Node* node) {
    const std::string& name = e.name;
    node->op = name == "and"        ? NodeOp::kAnd
               : name == "or"       ? NodeOp::kOr
               : name == "if"       ? NodeOp::kIf
               : name == "coalesce" ? NodeOp::kCoalesce
                                    : NodeOp::kKernel;
    const ScalarFunction* fn = FindScalarFunction(name);
    if (fn == nullptr) {
      node->error = Status::Internal("no kernel for function '" + name + "'");
      return;
    }
    node->deterministic = fn->deterministic;
    node->per_row = fn->per_row;
    ConstantArgs constants;
    for (const Node& c : node->children) {
      if (c.op == NodeOp::kConstant) {
        constants.emplace_back(c.constant.column->GetValue(0));
      } else {
        constants.emplace_back(std::nullopt);
      }
    }
    Result<ResolvedKernel> kernel = fn->resolve(e, constants);
    if (kernel.ok()) {
      node->kernel = *kernel;
    } else {
      node->error = kernel.status();
    }
  }

  // A deterministic node over constants is computed once, here. If that fails (1 / 0), the node
  // stays as it is and fails only when it runs on some rows.
  void Fold(Node* node) {
    if (node->IsLeaf() || !node->deterministic || node->per_row || !node->error.ok()) return;
    for (const Node& c : node->children) {
      if (c.op != NodeOp::kConstant) return;
    }
    Batch no_columns;
    Result<Datum> value = Eval(*node, no_columns, nullptr, 1);
    if (!value.ok()) return;
    node->op = NodeOp::kConstant;
    node->constant = Datum{value->column, true};
    node->children.clear();
  }

  // --- evaluation over rows[0..count) ---

  Result<Datum> Eval(const Node& node, const Batch& batch, const uint32_t* rows, size_t count) {
    if (!node.error.ok()) return node.error;
    switch (node.op) {
      case NodeOp::kColumn: {
        const ColumnPtr& column = batch.column(node.column);
        if (rows == nullptr) return Datum{column, false};
        return Datum{column->Gather(rows, count), false};
      }
      case NodeOp::kConstant:
        return node.constant;
      case NodeOp::kKernel:
        return EvalKernel(node, batch, rows, count);
      case NodeOp::kAnd:
      case NodeOp::kOr:
        return EvalConnective(node, batch, rows, count);
      case NodeOp::kIf:
      case NodeOp::kCoalesce:
        if (node.simple_children) return EvalKernel(node, batch, rows, count);
        return node.op == NodeOp::kIf ? EvalBranches(node, batch, rows, count)
                                      : EvalCoalesce(node, batch, rows, count);
      case NodeOp::kCase:
        return EvalBranches(node, batch, rows, count);
    }
    return Status::Internal("unknown expression node");
  }

  Result<Datum> EvalKernel(const Node& node, const Batch& batch, const uint32_t* rows,
                           size_t count) {
    std::vector<Datum> args;
    args.reserve(node.children.size());
    bool all_constant = true;
    for (const Node& child : node.children) {
      SLUICE_ASSIGN_OR_RETURN(Datum d, Eval(child, batch, rows, count));
      all_constant &= d.constant;
      args.push_back(std::move(d));
    }
    if (count == 0) return Datum{NewColumn(node.type, 0), false};
    // Constant arguments are computed once and broadcast.
    bool constant = all_constant && !node.per_row;
    size_t n = constant ? 1 : count;
    ColumnPtr out = NewColumn(node.type, n);
    SLUICE_RETURN_IF_ERROR(
        node.kernel.kernel(MakeContext(node), args.data(), args.size(), n, out.get()));
    return Datum{std::move(out), constant};
  }

  // AND / OR with short-circuit: the right side runs only on the rows where the left side does
  // not already decide the result (FALSE for AND, TRUE for OR).
  Result<Datum> EvalConnective(const Node& node, const Batch& batch, const uint32_t* rows,
                               size_t count) {
    const uint8_t deciding = node.op == NodeOp::kOr ? 1 : 0;
    SLUICE_ASSIGN_OR_RETURN(Datum left, Eval(node.children[0], batch, rows, count));
    auto decided = [&](size_t i) {
      return !left.IsNull(i) && left.data<uint8_t>()[left.constant ? 0 : i] == deciding;
    };
    if (left.constant && decided(0)) return left;
    std::vector<uint32_t> open;
    // A cheap right side runs on every row: cheaper than narrowing, and it cannot fail.
    bool narrow = !left.constant && !node.children[1].IsCheapPredicate();
    if (narrow) {
      for (size_t i = 0; i < count; ++i) {
        if (!decided(i)) open.push_back(static_cast<uint32_t>(i));
      }
      if (open.empty()) return left;
    }
    if (!narrow || open.size() == count) {
      SLUICE_ASSIGN_OR_RETURN(Datum right, Eval(node.children[1], batch, rows, count));
      Datum args[2] = {left, right};
      bool constant = left.constant && right.constant;
      size_t n = constant ? 1 : count;
      ColumnPtr out = NewColumn(node.type, n);
      SLUICE_RETURN_IF_ERROR(node.kernel.kernel(MakeContext(node), args, 2, n, out.get()));
      return Datum{std::move(out), constant};
    }
    std::vector<uint32_t> sub_rows = RowsAtPositions(rows, open);
    SLUICE_ASSIGN_OR_RETURN(Datum right,
                            Eval(node.children[1], batch, sub_rows.data(), sub_rows.size()));
    ColumnPtr out = NewColumn(node.type, count);
    uint8_t* values = out->data<uint8_t>();
    const uint8_t* left_values = left.data<uint8_t>();
    for (size_t i = 0; i < count; ++i) values[i] = left_values[i];
    for (size_t k = 0; k < open.size(); ++k) {
      size_t i = open[k];
      // Open rows: the left side is NULL or the non-deciding value.
      bool right_decides = !right.IsNull(k) && IsTrueAt(right, k) == (deciding == 1);
      if (right_decides) {
        values[i] = deciding;
      } else if (left.IsNull(i) || right.IsNull(k)) {
        out->SetNull(i, true);
      } else {
        values[i] = static_cast<uint8_t>(1 - deciding);
      }
    }
    return Datum{std::move(out), false};
  }

  // CASE WHEN ... THEN ... [ELSE ...] END and IF(c, a, b): conditions run on the rows no earlier
  // branch took, values only on the rows their branch took.
  Result<Datum> EvalBranches(const Node& node, const Batch& batch, const uint32_t* rows,
                             size_t count) {
    bool has_else = node.op == NodeOp::kIf || node.has_else;
    size_t pairs = (node.children.size() - (has_else ? 1 : 0)) / 2;
    ColumnPtr out = NewColumn(node.type, count);
    std::vector<uint32_t> remaining = AllPositions(count);
    for (size_t p = 0; p < pairs && !remaining.empty(); ++p) {
      std::vector<uint32_t> sub_rows = RowsAtPositions(rows, remaining);
      SLUICE_ASSIGN_OR_RETURN(Datum condition,
                              Eval(node.children[2 * p], batch, sub_rows.data(), sub_rows.size()));
      std::vector<uint32_t> rest;
      std::vector<uint32_t> taken = TruePositions(condition, remaining, &rest);
      if (!taken.empty()) {
        std::vector<uint32_t> value_rows = RowsAtPositions(rows, taken);
        SLUICE_ASSIGN_OR_RETURN(Datum value, Eval(node.children[2 * p + 1], batch,
                                                  value_rows.data(), value_rows.size()));
        ScatterInto(value, taken, out.get());
      }
      remaining = std::move(rest);
    }
    if (!remaining.empty()) {
      if (has_else) {
        std::vector<uint32_t> sub_rows = RowsAtPositions(rows, remaining);
        SLUICE_ASSIGN_OR_RETURN(
            Datum value, Eval(node.children.back(), batch, sub_rows.data(), sub_rows.size()));
        ScatterInto(value, remaining, out.get());
      } else {
        for (uint32_t p : remaining) out->SetNull(p, true);
      }
    }
    return Datum{std::move(out), false};
  }

  Result<Datum> EvalCoalesce(const Node& node, const Batch& batch, const uint32_t* rows,
                             size_t count) {
    ColumnPtr out = NewColumn(node.type, count);
    std::vector<uint32_t> remaining = AllPositions(count);
    for (size_t a = 0; a < node.children.size() && !remaining.empty(); ++a) {
      std::vector<uint32_t> sub_rows = RowsAtPositions(rows, remaining);
      SLUICE_ASSIGN_OR_RETURN(Datum value,
                              Eval(node.children[a], batch, sub_rows.data(), sub_rows.size()));
      if (a + 1 == node.children.size()) {
        ScatterInto(value, remaining, out.get());
        break;
      }
      std::vector<uint32_t> found, still_null;
      for (size_t k = 0; k < remaining.size(); ++k) {
        (value.IsNull(k) ? still_null : found).push_back(static_cast<uint32_t>(k));
      }
      if (!found.empty()) {
        // Scatter the non-NULL values: positions of `found` within the sub-evaluation.
        std::vector<uint32_t> targets(found.size());
        for (size_t k = 0; k < found.size(); ++k) targets[k] = remaining[found[k]];
        Datum picked{
            value.constant ? value.column : value.column->Gather(found.data(), found.size()),
            value.constant};
        ScatterInto(picked, targets, out.get());
      }
      std::vector<uint32_t> next(still_null.size());
      for (size_t k = 0; k < still_null.size(); ++k) next[k] = remaining[still_null[k]];
      remaining = std::move(next);
    }
    return Datum{std::move(out), false};
  }

  // --- filtering: writes the passing rows of rows[0..count) to out (which may alias rows) ---

  Result<size_t> Select(const Node& node, const Batch& batch, const uint32_t* rows, size_t count,
                        uint32_t* out) {
    if (count == 0) return size_t{0};
    switch (node.op) {
      case NodeOp::kAnd: {
        SLUICE_ASSIGN_OR_RETURN(size_t n, Select(node.children[0], batch, rows, count, out));
        if (n == 0) return n;
        return Select(node.children[1], batch, out, n, out);
      }
      case NodeOp::kOr: {
        std::vector<uint32_t> left(count);
        SLUICE_ASSIGN_OR_RETURN(size_t n1,
                                Select(node.children[0], batch, rows, count, left.data()));
        if (n1 == count) return CopyRows(rows, count, out);
        std::vector<uint32_t> rest = Complement(rows, count, left.data(), n1);
        std::vector<uint32_t> right(rest.size());
        SLUICE_ASSIGN_OR_RETURN(
            size_t n2, Select(node.children[1], batch, rest.data(), rest.size(), right.data()));
        return MergeInOrder(rows, count, left.data(), n1, right.data(), n2, out);
      }
      case NodeOp::kConstant:
        return IsTrueAt(node.constant, 0) ? CopyRows(rows, count, out) : 0;
      case NodeOp::kKernel:
        if (node.kernel.select != nullptr && node.simple_children && node.error.ok()) {
          return SelectDirect(node, batch, rows, count, out);
        }
        break;
      default:
        break;
    }
    SLUICE_ASSIGN_OR_RETURN(Datum d, Eval(node, batch, rows, count));
    if (d.constant) return IsTrueAt(d, 0) ? CopyRows(rows, count, out) : 0;
    size_t n = 0;
    for (size_t i = 0; i < count; ++i) {
      if (IsTrueAt(d, i)) out[n++] = RowAt(rows, i);
    }
    return n;
  }

  // Select kernels read batch columns through the selection: no gather, no boolean column.
  size_t SelectDirect(const Node& node, const Batch& batch, const uint32_t* rows, size_t count,
                      uint32_t* out) {
    Datum args[8];
    std::vector<Datum> many;
    Datum* a = args;
    if (node.children.size() > 8) {
      many.resize(node.children.size());
      a = many.data();
    }
    for (size_t i = 0; i < node.children.size(); ++i) {
      const Node& c = node.children[i];
      a[i] = c.op == NodeOp::kColumn ? Datum{batch.column(c.column), false} : c.constant;
    }
    return node.kernel.select(MakeContext(node), a, rows, count, out);
  }

  static size_t CopyRows(const uint32_t* rows, size_t count, uint32_t* out) {
    for (size_t i = 0; i < count; ++i) out[i] = RowAt(rows, i);
    return count;
  }

  void StartEvaluation() {
    now_micros = std::chrono::duration_cast<std::chrono::microseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  }
};

ExpressionEvaluator::ExpressionEvaluator(ExprPtr expr, EvalContext context)
    : expr_(std::move(expr)), impl_(std::make_unique<Impl>(std::move(context))) {
  impl_->root = impl_->Compile(*expr_);
}

ExpressionEvaluator::~ExpressionEvaluator() = default;

Result<ColumnPtr> ExpressionEvaluator::Evaluate(const Batch& batch, const uint32_t* rows,
                                                size_t count) {
  impl_->StartEvaluation();
  SLUICE_ASSIGN_OR_RETURN(Datum d, impl_->Eval(impl_->root, batch, rows, count));
  return Materialize(d, count);
}

Result<size_t> ExpressionEvaluator::Filter(const Batch& batch, const uint32_t* rows, size_t count,
                                           uint32_t* out_rows) {
  TypeId id = expr_->type.id;
  if (id != TypeId::kBoolean && id != TypeId::kNull) {
    return Status::Internal("Filter needs a BOOLEAN expression, got " + expr_->type.ToString());
  }
  impl_->StartEvaluation();
  return impl_->Select(impl_->root, batch, rows, count, out_rows);
}

}  // namespace sluice
