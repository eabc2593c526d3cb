// + - * / % (and MOD, unary minus) with Flink's typing: INT op INT stays INT (wrapping as Java,
// '/' is integer division), DECIMAL keeps exact scales, DOUBLE follows IEEE (x / 0 = Infinity),
// and timestamps/dates move by intervals.

#include <cmath>

#include "exec/functions/decimal.h"
#include "exec/functions/kernel_loops.h"
#include "exec/functions/scalar_function.h"
#include "exec/functions/type_coercion.h"
#include "types/time_format.h"

namespace sluice {

namespace {

// --- typing ---

bool IsDatetime(const LogicalType& t) {
  return t.IsTimestamp() || t.id == TypeId::kDate;
}

LogicalType DecimalResultType(const std::string& op, const LogicalType& a, const LogicalType& b) {
  int p1 = a.precision, s1 = a.scale, p2 = b.precision, s2 = b.scale;
  if (op == "+" || op == "-") {
    int scale = std::max(s1, s2);
    return AdjustedDecimalType(std::max(p1 - s1, p2 - s2) + scale + 1, scale);
  }
  if (op == "*") return AdjustedDecimalType(p1 + p2 + 1, s1 + s2);
  if (op == "/") {
    int scale = std::max(6, s1 + p2 + 1);
    return AdjustedDecimalType(p1 - s1 + s2 + scale, scale);
  }
  int scale = std::max(s1, s2);  // %
  return AdjustedDecimalType(std::min(p1 - s1, p2 - s2) + scale, scale);
}

Result<ExprPtr> BindUnary(const std::string& op, std::vector<ExprPtr>& args) {
  const LogicalType& t = args[0]->type;
  if (t.id == TypeId::kNull) args[0] = CastIfNeeded(args[0], LogicalType::Int());
  if (!args[0]->type.IsNumeric() && t.id != TypeId::kInterval) return CannotApply(op, args);
  if (op == "+") return args[0];
  if (op != "-") return CannotApply(op, args);
  return BoundExpr::Call("-", args[0]->type, args);
}

Result<ExprPtr> BindTemporal(const std::string& op, std::vector<ExprPtr>& args) {
  const LogicalType a = args[0]->type, b = args[1]->type;
  bool a_interval = a.id == TypeId::kInterval, b_interval = b.id == TypeId::kInterval;
  if ((op == "+" || op == "-") && IsDatetime(a) && b_interval) {
    return BoundExpr::Call(op, a, args);
  }
  if (op == "+" && a_interval && IsDatetime(b)) {
    return BoundExpr::Call(op, b, {args[1], args[0]});  // kernels take (datetime, interval)
  }
  if ((op == "+" || op == "-") && a_interval && b_interval) {
    return BoundExpr::Call(op, LogicalType::Interval(), args);
  }
  if (op == "*" && (a_interval != b_interval)) {
    ExprPtr interval = a_interval ? args[0] : args[1];
    ExprPtr factor = a_interval ? args[1] : args[0];
    if (!factor->type.IsIntegral() && factor->type.id != TypeId::kNull) {
      return CannotApply(op, args);
    }
    return BoundExpr::Call(op, LogicalType::Interval(),
                           {interval, CastIfNeeded(factor, LogicalType::Bigint())});
  }
  if (op == "/" && a_interval && (b.IsIntegral() || b.id == TypeId::kNull)) {
    return BoundExpr::Call(op, LogicalType::Interval(),
                           {args[0], CastIfNeeded(args[1], LogicalType::Bigint())});
  }
  return CannotApply(op, args);
}

Result<ExprPtr> BindArithmetic(const std::string& name, std::vector<ExprPtr>& args) {
  std::string op = name == "mod" ? "%" : name == "negate" ? "-" : name;
  if (args.size() == 1) return BindUnary(op, args);
  if (args.size() != 2) return CannotApply(op, args);
  LogicalType a = args[0]->type, b = args[1]->type;
  if (a.id == TypeId::kInterval || b.id == TypeId::kInterval) return BindTemporal(op, args);
  // An untyped NULL takes the other side's type.
  if (a.id == TypeId::kNull && b.id == TypeId::kNull) a = b = LogicalType::Int();
  if (a.id == TypeId::kNull) a = b;
  if (b.id == TypeId::kNull) b = a;
  if (!a.IsNumeric() || !b.IsNumeric()) return CannotApply(op, args);

  LogicalType operand_a, operand_b, result;
  if (a.id == TypeId::kDouble || b.id == TypeId::kDouble) {
    operand_a = operand_b = result = LogicalType::Double();
  } else if (a.id == TypeId::kDecimal || b.id == TypeId::kDecimal) {
    operand_a = AsDecimalType(a);
    operand_b = AsDecimalType(b);
    result = DecimalResultType(op, operand_a, operand_b);
  } else {
    LogicalType wide = a.id == TypeId::kBigint || b.id == TypeId::kBigint ? LogicalType::Bigint()
                                                                          : LogicalType::Int();
    operand_a = operand_b = wide;
    result = op == "%" ? b : wide;  // MOD takes the divisor's type, as Flink
  }
  std::vector<ExprPtr> children = {CastIfNeeded(args[0], operand_a),
                                   CastIfNeeded(args[1], operand_b)};
  return BoundExpr::Call(op, result, std::move(children));
}

// --- integer and double kernels ---

template <typename T>
T WrapAdd(T a, T b) {
  using U = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
}
template <typename T>
T WrapSub(T a, T b) {
  using U = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  return static_cast<T>(static_cast<U>(a) - static_cast<U>(b));
}
template <typename T>
T WrapMul(T a, T b) {
  using U = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  return static_cast<T>(static_cast<U>(a) * static_cast<U>(b));
}

struct AddOp {
  template <typename T>
  static T Apply(T a, T b) {
    if constexpr (std::is_floating_point_v<T>) {
      return a + b;
    } else {
      return WrapAdd(a, b);
    }
  }
};
struct SubOp {
  template <typename T>
  static T Apply(T a, T b) {
    if constexpr (std::is_floating_point_v<T>) {
      return a - b;
    } else {
      return WrapSub(a, b);
    }
  }
};
struct MulOp {
  template <typename T>
  static T Apply(T a, T b) {
    if constexpr (std::is_floating_point_v<T>) {
      return a * b;
    } else {
      return WrapMul(a, b);
    }
  }
};
struct DoubleDivOp {
  static double Apply(double a, double b) { return a / b; }
};
struct DoubleModOp {
  static double Apply(double a, double b) { return std::fmod(a, b); }
};

template <typename T, typename Op>
Status Arithmetic(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  PropagateNulls(args, 2, count, out);
  MapBinary<T, T, T>(args[0], args[1], count, out->data<T>(),
                     [](T a, T b) { return Op::Apply(a, b); });
  return Status::OK();
}

// First valid row whose divisor is zero, or count.
template <typename T>
size_t FindZeroDivisor(const Datum& divisor, const Column& out, size_t count) {
  ArgReader<T> b(divisor);
  const uint8_t* valid = out.validity();
  for (size_t i = 0; i < count; ++i) {
    if ((valid == nullptr || valid[i]) && b[i] == T{0}) return i;
  }
  return count;
}

template <typename T>
Status DivisionByZero(const Datum& dividend, size_t row, const char* op) {
  std::string value;
  if constexpr (std::is_same_v<T, int128_t>) {
    value = FormatDecimal(ArgReader<int128_t>(dividend)[row], dividend.column->type().scale);
  } else {
    value = std::to_string(ArgReader<T>(dividend)[row]);
  }
  return Status::RuntimeError(std::string("division by zero: ") + value + " " + op + " 0");
}

// Integer '/' and '%': Java semantics (truncation; MIN / -1 wraps), zero divisors are errors.
template <typename T, typename Out, bool kModulo>
Status IntegerDivide(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  PropagateNulls(args, 2, count, out);
  size_t zero = FindZeroDivisor<T>(args[1], *out, count);
  if (zero < count) return DivisionByZero<T>(args[0], zero, kModulo ? "%" : "/");
  MapBinary<Out, T, T>(args[0], args[1], count, out->data<Out>(), [](T a, T b) {
    if (b == 0) return Out{0};  // a NULL row
    if (b == -1) return static_cast<Out>(kModulo ? T{0} : WrapSub(T{0}, a));
    return static_cast<Out>(kModulo ? a % b : a / b);
  });
  return Status::OK();
}

template <typename T>
Status Negate(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  PropagateNulls(args, 1, count, out);
  MapUnary<T, T>(args[0], count, out->data<T>(), [](T v) {
    if constexpr (std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>) {
      return WrapSub(T{0}, v);
    } else {
      return static_cast<T>(-v);
    }
  });
  return Status::OK();
}

// --- DECIMAL kernels: exact, overflow gives NULL as Flink ---

template <typename Fn>
Status DecimalRows(const Datum* args, size_t count, Column* out, Fn&& fn) {
  PropagateNulls(args, 2, count, out);
  ArgReader<int128_t> a(args[0]), b(args[1]);
  int128_t* r = out->data<int128_t>();
  int precision = out->type().precision;
  return ForEachValidRow(*out, count, [&](size_t i) {
    std::optional<int128_t> v = fn(a[i], b[i]);
    if (v && FitsPrecision(*v, precision)) {
      r[i] = *v;
    } else {
      out->SetNull(i, true);
    }
    return Status::OK();
  });
}

template <bool kSubtract>
Status DecimalAdd(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  int s1 = args[0].column->type().scale, s2 = args[1].column->type().scale;
  int s = out->type().scale;
  return DecimalRows(args, count, out, [&](int128_t a, int128_t b) -> std::optional<int128_t> {
    std::optional<int128_t> x = Rescale(a, s1, s), y = Rescale(b, s2, s);
    int128_t r;
    if (!x || !y) return std::nullopt;
    bool overflow =
        kSubtract ? __builtin_sub_overflow(*x, *y, &r) : __builtin_add_overflow(*x, *y, &r);
    if (overflow) return std::nullopt;
    return r;
  });
}

Status DecimalMultiply(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  int product_scale = args[0].column->type().scale + args[1].column->type().scale;
  int s = out->type().scale;
  return DecimalRows(args, count, out, [&](int128_t a, int128_t b) -> std::optional<int128_t> {
    std::optional<int128_t> p = MultiplyChecked(a, b);
    if (!p) return std::nullopt;
    return Rescale(*p, product_scale, s);
  });
}

template <bool kModulo>
Status DecimalDivide(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  int s1 = args[0].column->type().scale, s2 = args[1].column->type().scale;
  int s = out->type().scale;
  PropagateNulls(args, 2, count, out);
  size_t zero = FindZeroDivisor<int128_t>(args[1], *out, count);
  if (zero < count) return DivisionByZero<int128_t>(args[0], zero, kModulo ? "%" : "/");
  return DecimalRows(args, count, out, [&](int128_t a, int128_t b) -> std::optional<int128_t> {
    if (b == 0) return int128_t{0};
    if constexpr (kModulo) {
      std::optional<int128_t> x = Rescale(a, s1, s), y = Rescale(b, s2, s);
      if (!x || !y) return std::nullopt;
      return *x % *y;
    } else {
      return DivideDecimal(a, s1, b, s2, s);
    }
  });
}

// --- datetime +/- interval ---

template <bool kSubtract>
Status TimestampPlusInterval(const KernelContext&, const Datum* args, size_t, size_t count,
                             Column* out) {
  PropagateNulls(args, 2, count, out);
  MapBinary<int64_t, int64_t, int64_t>(
      args[0], args[1], count, out->data<int64_t>(), [](int64_t ts, int64_t interval) {
        return kSubtract ? WrapSub(ts, interval) : WrapAdd(ts, interval);
      });
  return Status::OK();
}

// DATE +/- INTERVAL moves by whole days (Flink truncates the interval to days).
template <bool kSubtract>
Status DatePlusInterval(const KernelContext&, const Datum* args, size_t, size_t count,
                        Column* out) {
  PropagateNulls(args, 2, count, out);
  MapBinary<int32_t, int32_t, int64_t>(
      args[0], args[1], count, out->data<int32_t>(), [](int32_t date, int64_t interval) {
        int32_t days = static_cast<int32_t>(interval / kMicrosPerDay);
        return kSubtract ? date - days : date + days;
      });
  return Status::OK();
}

Status IntervalDivide(const KernelContext& ctx, const Datum* args, size_t n, size_t count,
                      Column* out) {
  return IntegerDivide<int64_t, int64_t, false>(ctx, args, n, count, out);
}

// --- dispatch ---

ResolvedKernel K(KernelFn fn) {
  return ResolvedKernel{fn, nullptr, nullptr};
}

template <typename Op>
Result<ResolvedKernel> ByNumericType(TypeId id) {
  switch (id) {
    case TypeId::kInt:
      return K(Arithmetic<int32_t, Op>);
    case TypeId::kBigint:
    case TypeId::kInterval:
      return K(Arithmetic<int64_t, Op>);
    case TypeId::kDouble:
      return K(Arithmetic<double, Op>);
    default:
      return Status::Internal("no arithmetic kernel for type");
  }
}

Result<ResolvedKernel> ResolveArithmetic(const BoundExpr& call, const ConstantArgs&) {
  const std::string& op = call.name;
  if (call.children.size() == 1) {
    switch (call.type.id) {
      case TypeId::kInt:
        return K(Negate<int32_t>);
      case TypeId::kBigint:
      case TypeId::kInterval:
        return K(Negate<int64_t>);
      case TypeId::kDouble:
        return K(Negate<double>);
      case TypeId::kDecimal:
        return K(Negate<int128_t>);
      default:
        return Status::Internal("no kernel for unary " + op);
    }
  }
  TypeId a = call.children[0]->type.id, b = call.children[1]->type.id;
  bool subtract = op == "-";
  if (b == TypeId::kInterval && a != TypeId::kInterval) {
    if (a == TypeId::kDate) return K(subtract ? DatePlusInterval<true> : DatePlusInterval<false>);
    return K(subtract ? TimestampPlusInterval<true> : TimestampPlusInterval<false>);
  }
  if (a == TypeId::kInterval && op == "*") return K(Arithmetic<int64_t, MulOp>);
  if (a == TypeId::kInterval && op == "/") return K(IntervalDivide);
  TypeId operand = a;
  if (operand == TypeId::kDecimal) {
    if (op == "+") return K(DecimalAdd<false>);
    if (op == "-") return K(DecimalAdd<true>);
    if (op == "*") return K(DecimalMultiply);
    if (op == "/") return K(DecimalDivide<false>);
    return K(DecimalDivide<true>);
  }
  if (op == "+") return ByNumericType<AddOp>(operand);
  if (op == "-") return ByNumericType<SubOp>(operand);
  if (op == "*") return ByNumericType<MulOp>(operand);
  if (operand == TypeId::kDouble) {
    return K(op == "/" ? Arithmetic<double, DoubleDivOp> : Arithmetic<double, DoubleModOp>);
  }
  bool modulo = op == "%";
  if (operand == TypeId::kInt) {
    return K(modulo ? IntegerDivide<int32_t, int32_t, true>
                    : IntegerDivide<int32_t, int32_t, false>);
  }
  if (!modulo) return K(IntegerDivide<int64_t, int64_t, false>);
  return K(call.type.id == TypeId::kInt ? IntegerDivide<int64_t, int32_t, true>
                                        : IntegerDivide<int64_t, int64_t, true>);
}

const ScalarFunction kFunctions[] = {
    {"+", 1, 2, BindArithmetic, ResolveArithmetic},
    {"-", 1, 2, BindArithmetic, ResolveArithmetic},
    {"*", 2, 2, BindArithmetic, ResolveArithmetic},
    {"/", 2, 2, BindArithmetic, ResolveArithmetic},
    {"%", 2, 2, BindArithmetic, ResolveArithmetic},
    {"mod", 2, 2, BindArithmetic, ResolveArithmetic},
    {"negate", 1, 1, BindArithmetic, ResolveArithmetic},
};

}  // namespace

std::span<const ScalarFunction> ArithmeticFunctions() {
  return kFunctions;
}

}  // namespace sluice
