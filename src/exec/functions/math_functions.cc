// Math functions. ROUND and TRUNCATE follow Java's BigDecimal (HALF_UP, on the shortest decimal
// form of a DOUBLE), the DOUBLE functions follow java.lang.Math (NaN and infinities rather than
// errors).

#include <cmath>
#include <numbers>
#include <random>

#include "exec/functions/decimal.h"
#include "exec/functions/double_format.h"
#include "exec/functions/kernel_loops.h"
#include "exec/functions/scalar_function.h"
#include "exec/functions/signature.h"
#include "exec/functions/type_coercion.h"

namespace sluice {

namespace {

// --- typing ---

Result<ExprPtr> BindSameNumeric(const std::string& name, std::vector<ExprPtr>& args) {
  if (args[0]->type.id == TypeId::kNull) args[0] = CastIfNeeded(args[0], LogicalType::Double());
  const LogicalType& t = args[0]->type;
  if (!t.IsNumeric()) return CannotApply(name, args);
  LogicalType result = t;
  std::string call = name == "ceiling" ? "ceil" : name;
  if ((call == "floor" || call == "ceil") && t.id == TypeId::kDecimal && t.scale > 0) {
    result = LogicalType::Decimal(std::min(38, t.precision - t.scale + 1), 0);
  }
  return BoundExpr::Call(call, result, args);
}

// ROUND(x[, d]) / TRUNCATE(x[, d]): the result keeps x's type; for DECIMAL, d (a literal) sets the
// scale, as Flink's findRoundDecimalType.
Result<ExprPtr> BindRound(const std::string& name, std::vector<ExprPtr>& args) {
  if (args[0]->type.id == TypeId::kNull) args[0] = CastIfNeeded(args[0], LogicalType::Double());
  const LogicalType t = args[0]->type;
  if (!t.IsNumeric()) return CannotApply(name, args);
  if (args.size() == 2) {
    if (!args[1]->type.IsIntegral() && args[1]->type.id != TypeId::kNull) {
      return CannotApply(name, args);
    }
    args[1] = CastIfNeeded(args[1], LogicalType::Int());
  }
  if (t.id != TypeId::kDecimal) return BoundExpr::Call(name, t, args);
  int64_t digits = 0;
  if (args.size() == 2) {
    if (!IsLiteral(args[1]) &&
        !(args[1]->kind == ExprKind::kCast && IsLiteral(args[1]->children[0]))) {
      return Status::TypeError("the number of digits of '" + name +
                               "' on a DECIMAL must be a literal");
    }
    const ExprPtr& literal = args[1]->kind == ExprKind::kCast ? args[1]->children[0] : args[1];
    digits = literal->literal.GetInt64();
  }
  int p = t.precision, s = t.scale;
  int extra = name == "round" ? 1 : 0;  // rounding up may need one more integer digit
  LogicalType result = t;
  if (digits < 0) {
    result = LogicalType::Decimal(std::max(1, std::min(38, p - s + extra)), 0);
  } else if (digits < s) {
    int d = static_cast<int>(digits);
    result = LogicalType::Decimal(std::min(38, p - s + d + extra), d);
  }
  return BoundExpr::Call(name, result, args);
}

// --- kernels ---

template <typename T>
Status Abs(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  PropagateNulls(args, 1, count, out);
  MapUnary<T, T>(args[0], count, out->data<T>(), [](T v) {
    if constexpr (std::is_same_v<T, double>) {
      return std::fabs(v);
    } else if constexpr (std::is_same_v<T, int128_t>) {
      return v < 0 ? -v : v;
    } else {
      using U = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
      return v < 0 ? static_cast<T>(U{0} - static_cast<U>(v)) : v;  // MIN stays MIN, as Java
    }
  });
  return Status::OK();
}

template <typename T>
Status Sign(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  T one = 1;
  if constexpr (std::is_same_v<T, int128_t>) one = Pow10(out->type().scale);
  PropagateNulls(args, 1, count, out);
  MapUnary<T, T>(args[0], count, out->data<T>(), [one](T v) -> T {
    if constexpr (std::is_same_v<T, double>) {
      if (v != v || v == 0) return v;  // Math.signum keeps NaN and signed zeros
    }
    return v > 0 ? one : v < 0 ? -one : T{0};
  });
  return Status::OK();
}

template <bool kCeil>
Status FloorCeilDouble(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  PropagateNulls(args, 1, count, out);
  MapUnary<double, double>(args[0], count, out->data<double>(),
                           [](double v) { return kCeil ? std::ceil(v) : std::floor(v); });
  return Status::OK();
}

template <bool kCeil>
Status FloorCeilDecimal(const KernelContext&, const Datum* args, size_t, size_t count,
                        Column* out) {
  int scale = args[0].column->type().scale;
  int128_t unit = Pow10(scale);
  PropagateNulls(args, 1, count, out);
  MapUnary<int128_t, int128_t>(args[0], count, out->data<int128_t>(), [&](int128_t v) {
    int128_t q = v / unit, r = v % unit;
    if (kCeil && r > 0) ++q;
    if (!kCeil && r < 0) --q;
    return q;
  });
  return Status::OK();
}

Status CopyInput(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  out->Resize(0);
  for (size_t i = 0; i < count; ++i) out->AppendFrom(*args[0].column, args[0].constant ? 0 : i, 1);
  return Status::OK();
}

int DigitsArg(const Datum* args, size_t num_args, size_t row) {
  return num_args > 1 ? ArgReader<int32_t>(args[1])[row] : 0;
}

template <typename T, bool kTruncate>
Status RoundInteger(const KernelContext&, const Datum* args, size_t num_args, size_t count,
                    Column* out) {
  ArgReader<T> x(args[0]);
  T* r = out->data<T>();
  return MapValidRows(args, num_args, count, out, [&](size_t i) {
    int digits = DigitsArg(args, num_args, i);
    T v = x[i];
    if (digits >= 0) {
      r[i] = v;
    } else if (-digits >= 19) {
      r[i] = 0;
    } else {
      int64_t factor = static_cast<int64_t>(Pow10(-digits));
      int64_t q = static_cast<int64_t>(v) / factor, rem = static_cast<int64_t>(v) % factor;
      if (!kTruncate && (rem >= factor - rem || -rem >= factor + rem)) q += v < 0 ? -1 : 1;
      r[i] = static_cast<T>(q * factor);
    }
    return Status::OK();
  });
}

template <bool kTruncate>
Status RoundDoubleKernel(const KernelContext&, const Datum* args, size_t num_args, size_t count,
                         Column* out) {
  ArgReader<double> x(args[0]);
  double* r = out->data<double>();
  return MapValidRows(args, num_args, count, out, [&](size_t i) {
    r[i] = RoundDouble(x[i], DigitsArg(args, num_args, i), kTruncate);
    return Status::OK();
  });
}

template <bool kTruncate>
Status RoundDecimal(const KernelContext&, const Datum* args, size_t num_args, size_t count,
                    Column* out) {
  int from = args[0].column->type().scale;
  const LogicalType type = out->type();
  ArgReader<int128_t> x(args[0]);
  int128_t* r = out->data<int128_t>();
  return MapValidRows(args, num_args, count, out, [&](size_t i) {
    int digits = std::max(-38, DigitsArg(args, num_args, i));
    // Round at `digits`, then express at the result's scale (digits >= scale keeps the value).
    std::optional<int128_t> v =
        digits >= from ? x[i]
                       : (kTruncate ? std::optional<int128_t>(RescaleDown(x[i], from, digits))
                                    : Rescale(x[i], from, digits));
    if (v && digits < from) v = Rescale(*v, digits, type.scale);
    if (digits >= from && v) v = Rescale(*v, from, type.scale);
    if (!v || !FitsPrecision(*v, type.precision)) {
      out->SetNull(i, true);
    } else {
      r[i] = *v;
    }
    return Status::OK();
  });
}

template <bool kTruncate>
Result<ResolvedKernel> ResolveRound(const BoundExpr& call, const ConstantArgs&) {
  switch (call.children[0]->type.id) {
    case TypeId::kInt:
      return ResolvedKernel{RoundInteger<int32_t, kTruncate>, nullptr, nullptr};
    case TypeId::kBigint:
      return ResolvedKernel{RoundInteger<int64_t, kTruncate>, nullptr, nullptr};
    case TypeId::kDouble:
      return ResolvedKernel{RoundDoubleKernel<kTruncate>, nullptr, nullptr};
    default:
      return ResolvedKernel{RoundDecimal<kTruncate>, nullptr, nullptr};
  }
}

Result<ResolvedKernel> ResolveSameNumeric(const BoundExpr& call, const ConstantArgs&) {
  TypeId id = call.children[0]->type.id;
  const std::string& n = call.name;
  bool ceil = n == "ceil";
  if (n == "floor" || ceil) {
    if (id == TypeId::kDouble)
      return ResolvedKernel{ceil ? FloorCeilDouble<true> : FloorCeilDouble<false>, nullptr,
                            nullptr};
    if (id == TypeId::kDecimal && call.children[0]->type.scale > 0) {
      return ResolvedKernel{ceil ? FloorCeilDecimal<true> : FloorCeilDecimal<false>, nullptr,
                            nullptr};
    }
    return ResolvedKernel{CopyInput, nullptr, nullptr};
  }
  return VisitPhysicalType(id, [&]<typename T>() -> Result<ResolvedKernel> {
    if constexpr (std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t> ||
                  std::is_same_v<T, double> || std::is_same_v<T, int128_t>) {
      return ResolvedKernel{n == "abs" ? Abs<T> : Sign<T>, nullptr, nullptr};
    } else {
      return Status::Internal("no kernel for " + n);
    }
  });
}

template <double (*kFn)(double)>
Status DoubleUnary(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  PropagateNulls(args, 1, count, out);
  MapUnary<double, double>(args[0], count, out->data<double>(), [](double v) { return kFn(v); });
  return Status::OK();
}

template <double (*kFn)(double, double)>
Status DoubleBinary(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  PropagateNulls(args, 2, count, out);
  MapBinary<double, double, double>(args[0], args[1], count, out->data<double>(),
                                    [](double a, double b) { return kFn(a, b); });
  return Status::OK();
}

double Sqrt(double v) {
  return std::sqrt(v);
}
double Exp(double v) {
  return std::exp(v);
}
double Ln(double v) {
  return std::log(v);
}
double Log10(double v) {
  return std::log10(v);
}
double Log2(double v) {
  return std::log(v) / std::log(2.0);
}  // as Flink computes it
double LogBase(double base, double v) {
  return std::log(v) / std::log(base);
}
double Power(double a, double b) {
  return std::pow(a, b);
}
double Sin(double v) {
  return std::sin(v);
}
double Cos(double v) {
  return std::cos(v);
}
double Tan(double v) {
  return std::tan(v);
}
double Asin(double v) {
  return std::asin(v);
}
double Acos(double v) {
  return std::acos(v);
}
double Atan(double v) {
  return std::atan(v);
}
double Atan2(double y, double x) {
  return std::atan2(y, x);
}
double Degrees(double v) {
  return v * 180.0 / std::numbers::pi;
}
double Radians(double v) {
  return v / 180.0 * std::numbers::pi;
}

Status Log(const KernelContext& ctx, const Datum* args, size_t num_args, size_t count,
           Column* out) {
  if (num_args == 1) return DoubleUnary<Ln>(ctx, args, num_args, count, out);
  return DoubleBinary<LogBase>(ctx, args, num_args, count, out);
}

template <double kValue>
Status Constant(const KernelContext&, const Datum*, size_t, size_t count, Column* out) {
  std::fill(out->data<double>(), out->data<double>() + count, kValue);
  return Status::OK();
}

// RAND([seed]): uniform in [0, 1); a literal seed repeats the sequence, as Flink.
struct RandomState {
  mutable std::mt19937_64 engine;
};

Status Rand(const KernelContext& ctx, const Datum*, size_t, size_t count, Column* out) {
  auto& engine = static_cast<const RandomState*>(ctx.state)->engine;
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  double* r = out->data<double>();
  for (size_t i = 0; i < count; ++i) r[i] = uniform(engine);
  return Status::OK();
}

Result<ExprPtr> BindRand(const std::string& name, std::vector<ExprPtr>& args) {
  if (!args.empty() && !(IsLiteral(args[0]) && args[0]->type.IsIntegral())) {
    return Status::TypeError("the seed of 'rand' must be an integer literal");
  }
  return BoundExpr::Call(name, LogicalType::Double(), args);
}

Result<ResolvedKernel> ResolveRand(const BoundExpr& call, const ConstantArgs&) {
  auto state = std::make_shared<RandomState>();
  uint64_t seed = call.children.empty()
                      ? std::random_device{}()
                      : static_cast<uint64_t>(call.children[0]->literal.GetInt64());
  state->engine.seed(seed);
  return ResolvedKernel{Rand, nullptr, std::move(state)};
}

constexpr TypeId kDouble = TypeId::kDouble;

const ScalarFunction kFunctions[] = {
    {"abs", 1, 1, BindSameNumeric, ResolveSameNumeric},
    {"sign", 1, 1, BindSameNumeric, ResolveSameNumeric},
    {"floor", 1, 1, BindSameNumeric, ResolveSameNumeric},
    {"ceil", 1, 1, BindSameNumeric, ResolveSameNumeric},
    {"ceiling", 1, 1, BindSameNumeric, ResolveSameNumeric},
    {"round", 1, 2, BindRound, ResolveRound<false>},
    {"truncate", 1, 2, BindRound, ResolveRound<true>},
    {"power", 2, 2, BindSignature<"DD", kDouble>, FixedKernel<DoubleBinary<Power>>},
    {"sqrt", 1, 1, BindSignature<"D", kDouble>, FixedKernel<DoubleUnary<Sqrt>>},
    {"exp", 1, 1, BindSignature<"D", kDouble>, FixedKernel<DoubleUnary<Exp>>},
    {"ln", 1, 1, BindSignature<"D", kDouble>, FixedKernel<DoubleUnary<Ln>>},
    {"log10", 1, 1, BindSignature<"D", kDouble>, FixedKernel<DoubleUnary<Log10>>},
    {"log2", 1, 1, BindSignature<"D", kDouble>, FixedKernel<DoubleUnary<Log2>>},
    {"log", 1, 2, BindSignature<"DD", kDouble>, FixedKernel<Log>},
    {"sin", 1, 1, BindSignature<"D", kDouble>, FixedKernel<DoubleUnary<Sin>>},
    {"cos", 1, 1, BindSignature<"D", kDouble>, FixedKernel<DoubleUnary<Cos>>},
    {"tan", 1, 1, BindSignature<"D", kDouble>, FixedKernel<DoubleUnary<Tan>>},
    {"asin", 1, 1, BindSignature<"D", kDouble>, FixedKernel<DoubleUnary<Asin>>},
    {"acos", 1, 1, BindSignature<"D", kDouble>, FixedKernel<DoubleUnary<Acos>>},
    {"atan", 1, 1, BindSignature<"D", kDouble>, FixedKernel<DoubleUnary<Atan>>},
    {"atan2", 2, 2, BindSignature<"DD", kDouble>, FixedKernel<DoubleBinary<Atan2>>},
    {"degrees", 1, 1, BindSignature<"D", kDouble>, FixedKernel<DoubleUnary<Degrees>>},
    {"radians", 1, 1, BindSignature<"D", kDouble>, FixedKernel<DoubleUnary<Radians>>},
    {"pi", 0, 0, BindSignature<"", kDouble>, FixedKernel<Constant<std::numbers::pi>>},
    {"e", 0, 0, BindSignature<"", kDouble>, FixedKernel<Constant<std::numbers::e>>},
    {"rand", 0, 1, BindRand, ResolveRand, /*deterministic=*/false, /*per_row=*/true},
};

}  // namespace

std::span<const ScalarFunction> MathFunctions() {
  return kFunctions;
}

}  // namespace sluice
