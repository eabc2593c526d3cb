// COALESCE, IFNULL, IF, NULLIF, GREATEST, LEAST. The evaluator runs COALESCE and IF lazily (each
// branch only on the rows that reach it) when a branch is computed; these kernels pick between
// already-evaluated arguments, which is what it uses when every argument is a column or constant.

#include "exec/functions/kernel_loops.h"
#include "exec/functions/scalar_function.h"
#include "exec/functions/type_coercion.h"

namespace sluice {

namespace {

Result<LogicalType> CommonOf(const std::string& name, const std::vector<ExprPtr>& args,
                             size_t first) {
  LogicalType type = LogicalType::Null();
  for (size_t i = first; i < args.size(); ++i) {
    Result<LogicalType> common = CommonType(type, args[i]->type);
    if (!common.ok()) return CannotApply(name, args);
    type = *common;
  }
  return type;
}

Result<ExprPtr> BindCommonTyped(const std::string& name, std::vector<ExprPtr>& args) {
  SLUICE_ASSIGN_OR_RETURN(LogicalType type, CommonOf(name, args, 0));
  for (ExprPtr& arg : args) arg = CastIfNeeded(arg, type);
  if (name == "greatest" || name == "least") {
    if (type.id == TypeId::kBoolean || type.id == TypeId::kInterval) return CannotApply(name, args);
  }
  std::string call = name == "ifnull" ? "coalesce" : name;
  return BoundExpr::Call(call, type, args);
}

Result<ExprPtr> BindIf(const std::string& name, std::vector<ExprPtr>& args) {
  if (args[0]->type.id != TypeId::kBoolean && args[0]->type.id != TypeId::kNull) {
    return Status::TypeError("the condition of 'if' must be BOOLEAN, got " +
                             args[0]->type.ToString());
  }
  SLUICE_ASSIGN_OR_RETURN(LogicalType type, CommonOf(name, args, 1));
  args[0] = CastIfNeeded(args[0], LogicalType::Boolean());
  args[1] = CastIfNeeded(args[1], type);
  args[2] = CastIfNeeded(args[2], type);
  return BoundExpr::Call("if", type, args);
}

// Copies row `from_row` of `d` into row `i` of out (string views share d's memory).
template <typename T>
void CopyValue(const Datum& d, size_t i, T* out_values, Column* out) {
  if (d.IsNull(i)) {
    out->SetNull(i, true);
  } else {
    out_values[i] = ArgReader<T>(d)[i];
  }
}

template <typename T>
void ShareStrings(const Datum* args, size_t num_args, Column* out) {
  if constexpr (std::is_same_v<T, std::string_view>) {
    for (size_t a = 0; a < num_args; ++a) out->KeepAlive(args[a].column);
  }
}

template <typename T>
Status Coalesce(const KernelContext&, const Datum* args, size_t num_args, size_t count,
                Column* out) {
  ShareStrings<T>(args, num_args, out);
  T* values = out->data<T>();
  for (size_t i = 0; i < count; ++i) {
    size_t a = 0;
    while (a + 1 < num_args && args[a].IsNull(i)) ++a;
    CopyValue<T>(args[a], i, values, out);
  }
  return Status::OK();
}

template <typename T>
Status If(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  ShareStrings<T>(args + 1, 2, out);
  T* values = out->data<T>();
  ArgReader<uint8_t> condition(args[0]);
  for (size_t i = 0; i < count; ++i) {
    bool take_then = !args[0].IsNull(i) && condition[i];
    CopyValue<T>(args[take_then ? 1 : 2], i, values, out);
  }
  return Status::OK();
}

template <typename T>
Status NullIf(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  ShareStrings<T>(args, 1, out);
  T* values = out->data<T>();
  ArgReader<T> a(args[0]), b(args[1]);
  for (size_t i = 0; i < count; ++i) {
    if (!args[1].IsNull(i) && !args[0].IsNull(i) && a[i] == b[i]) {
      out->SetNull(i, true);
    } else {
      CopyValue<T>(args[0], i, values, out);
    }
  }
  return Status::OK();
}

// GREATEST/LEAST are NULL when any argument is NULL (Flink).
template <typename T, bool kGreatest>
Status Extremum(const KernelContext&, const Datum* args, size_t num_args, size_t count,
                Column* out) {
  ShareStrings<T>(args, num_args, out);
  PropagateNulls(args, num_args, count, out);
  T* values = out->data<T>();
  for (size_t i = 0; i < count; ++i) {
    T best = ArgReader<T>(args[0])[i];
    for (size_t a = 1; a < num_args; ++a) {
      T v = ArgReader<T>(args[a])[i];
      if (kGreatest ? best < v : v < best) best = v;
    }
    values[i] = best;
  }
  return Status::OK();
}

Result<ResolvedKernel> ResolveConditional(const BoundExpr& call, const ConstantArgs&) {
  const std::string& n = call.name;
  return VisitPhysicalType(call.type.id, [&]<typename T>() -> Result<ResolvedKernel> {
    KernelFn fn = nullptr;
    if (n == "coalesce") fn = Coalesce<T>;
    if (n == "if") fn = If<T>;
    if (n == "nullif") fn = NullIf<T>;
    if (n == "greatest") fn = Extremum<T, true>;
    if (n == "least") fn = Extremum<T, false>;
    return ResolvedKernel{fn, nullptr, nullptr};
  });
}

const ScalarFunction kFunctions[] = {
    {"coalesce", 1, -1, BindCommonTyped, ResolveConditional},
    {"ifnull", 2, 2, BindCommonTyped, ResolveConditional},
    {"nullif", 2, 2, BindCommonTyped, ResolveConditional},
    {"greatest", 1, -1, BindCommonTyped, ResolveConditional},
    {"least", 1, -1, BindCommonTyped, ResolveConditional},
    {"if", 3, 3, BindIf, ResolveConditional},
};

}  // namespace

std::span<const ScalarFunction> ConditionalFunctions() {
  return kFunctions;
}

}  // namespace sluice
