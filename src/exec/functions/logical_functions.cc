// AND / OR / NOT with SQL three-valued logic, and the IS [NOT] NULL/TRUE/FALSE predicates (which
// never return NULL). The evaluator short-circuits AND/OR by narrowing the rows it evaluates the
// right side on; these kernels combine two evaluated sides.

#include "exec/functions/kernel_loops.h"
#include "exec/functions/scalar_function.h"
#include "exec/functions/type_coercion.h"

namespace sluice {

namespace {

std::string DisplayName(const std::string& name) {
  if (name == "and") return "AND";
  if (name == "or") return "OR";
  if (name == "not") return "NOT";
  return name;
}

Result<ExprPtr> BindBooleanOperator(const std::string& name, std::vector<ExprPtr>& args) {
  for (ExprPtr& arg : args) {
    if (arg->type.id != TypeId::kBoolean && arg->type.id != TypeId::kNull) {
      return CannotApply(DisplayName(name), args);
    }
  }
  for (ExprPtr& arg : args) arg = CastIfNeeded(arg, LogicalType::Boolean());
  return BoundExpr::Call(name, LogicalType::Boolean(), args);
}

Result<ExprPtr> BindIsPredicate(const std::string& name, std::vector<ExprPtr>& args) {
  bool on_boolean = name != "is_null" && name != "is_not_null";
  if (on_boolean) {
    if (args[0]->type.id != TypeId::kBoolean && args[0]->type.id != TypeId::kNull) {
      return CannotApply(name, args);
    }
    args[0] = CastIfNeeded(args[0], LogicalType::Boolean());
  }
  return BoundExpr::Call(name, LogicalType::Boolean(), args);
}

// Three-valued AND (kOr = false) or OR (kOr = true) of two evaluated BOOLEAN sides.
template <bool kOr>
Status Connective(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  ArgReader<uint8_t> a(args[0]), b(args[1]);
  uint8_t* r = out->data<uint8_t>();
  if (!args[0].HasNulls() && !args[1].HasNulls()) {
    for (size_t i = 0; i < count; ++i) r[i] = kOr ? (a[i] | b[i]) : (a[i] & b[i]);
    return Status::OK();
  }
  const Datum& da = args[0];
  const Datum& db = args[1];
  for (size_t i = 0; i < count; ++i) {
    bool a_null = da.IsNull(i), b_null = db.IsNull(i);
    // The dominant value (FALSE for AND, TRUE for OR) wins over NULL.
    bool a_dominant = !a_null && (a[i] != 0) == kOr;
    bool b_dominant = !b_null && (b[i] != 0) == kOr;
    if (a_dominant || b_dominant) {
      r[i] = kOr;
    } else if (a_null || b_null) {
      out->SetNull(i, true);
    } else {
      r[i] = !kOr;
    }
  }
  return Status::OK();
}

Status Not(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  PropagateNulls(args, 1, count, out);
  MapUnary<uint8_t, uint8_t>(args[0], count, out->data<uint8_t>(),
                             [](uint8_t v) { return static_cast<uint8_t>(v ^ 1); });
  return Status::OK();
}

enum class IsKind { kNull, kNotNull, kTrue, kFalse, kNotTrue, kNotFalse };

template <IsKind kKind>
bool IsTest(bool is_null, uint8_t value) {
  switch (kKind) {
    case IsKind::kNull:
      return is_null;
    case IsKind::kNotNull:
      return !is_null;
    case IsKind::kTrue:
      return !is_null && value;
    case IsKind::kFalse:
      return !is_null && !value;
    case IsKind::kNotTrue:
      return is_null || !value;
    case IsKind::kNotFalse:
      return is_null || value;
  }
  return false;
}

template <IsKind kKind>
Status IsPredicate(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  uint8_t* r = out->data<uint8_t>();
  const Datum& d = args[0];
  bool boolean = d.column->type().id == TypeId::kBoolean;
  for (size_t i = 0; i < count; ++i) {
    size_t row = d.constant ? 0 : i;
    uint8_t value = boolean ? d.data<uint8_t>()[row] : 0;
    r[i] = IsTest<kKind>(d.IsNull(i), value);
  }
  return Status::OK();
}

// WHERE x IS [NOT] NULL straight from the validity mask.
template <bool kWantNull>
size_t NullSelect(const KernelContext&, const Datum* args, const uint32_t* rows, size_t count,
                  uint32_t* out) {
  const Datum& d = args[0];
  const uint8_t* v = d.column->validity();
  if (d.constant || v == nullptr) {
    bool is_null = d.constant ? d.IsNull(0) : false;
    if (is_null != kWantNull) return 0;
    for (size_t i = 0; i < count; ++i) out[i] = rows ? rows[i] : static_cast<uint32_t>(i);
    return count;
  }
  size_t n = 0;
  for (size_t i = 0; i < count; ++i) {
    uint32_t r = rows ? rows[i] : static_cast<uint32_t>(i);
    out[n] = r;
    n += kWantNull ? (v[r] ^ 1) : v[r];
  }
  return n;
}

ResolvedKernel K(KernelFn fn, SelectFn select = nullptr) {
  return ResolvedKernel{fn, select, nullptr};
}

Result<ResolvedKernel> ResolveLogical(const BoundExpr& call, const ConstantArgs&) {
  const std::string& n = call.name;
  if (n == "and") return K(Connective<false>);
  if (n == "or") return K(Connective<true>);
  if (n == "not") return K(Not);
  if (n == "is_null") return K(IsPredicate<IsKind::kNull>, NullSelect<true>);
  if (n == "is_not_null") return K(IsPredicate<IsKind::kNotNull>, NullSelect<false>);
  if (n == "is_true") return K(IsPredicate<IsKind::kTrue>);
  if (n == "is_false") return K(IsPredicate<IsKind::kFalse>);
  if (n == "is_not_true") return K(IsPredicate<IsKind::kNotTrue>);
  return K(IsPredicate<IsKind::kNotFalse>);
}

const ScalarFunction kFunctions[] = {
    {"and", 2, 2, BindBooleanOperator, ResolveLogical},
    {"or", 2, 2, BindBooleanOperator, ResolveLogical},
    {"not", 1, 1, BindBooleanOperator, ResolveLogical},
    {"is_null", 1, 1, BindIsPredicate, ResolveLogical},
    {"is_not_null", 1, 1, BindIsPredicate, ResolveLogical},
    {"is_true", 1, 1, BindIsPredicate, ResolveLogical},
    {"is_false", 1, 1, BindIsPredicate, ResolveLogical},
    {"is_not_true", 1, 1, BindIsPredicate, ResolveLogical},
    {"is_not_false", 1, 1, BindIsPredicate, ResolveLogical},
};

}  // namespace

std::span<const ScalarFunction> LogicalFunctions() {
  return kFunctions;
}

}  // namespace sluice
