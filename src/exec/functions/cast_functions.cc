// CAST / TRY_CAST kernels: one typed loop per (source, target) pair. A failed conversion is a
// RuntimeError naming the value, or NULL under TRY_CAST.

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "exec/functions/decimal.h"
#include "exec/functions/double_format.h"
#include "exec/functions/kernel_loops.h"
#include "exec/functions/scalar_function.h"
#include "types/time_format.h"

namespace sluice {

namespace {

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string Describe(int64_t v) {
  return std::to_string(v);
}
std::string Describe(int32_t v) {
  return std::to_string(v);
}
std::string Describe(double v) {
  return FormatDoubleJava(v);
}
std::string Describe(std::string_view v) {
  std::string quoted(1, '\'');
  quoted.append(v);
  quoted.push_back('\'');
  return quoted;
}

// Runs convert(value, &result) -> bool over the valid rows; failures become NULL (TRY_CAST) or
// an error naming the value.
template <typename From, typename To, typename Convert>
Status CastRows(const KernelContext& ctx, const Datum& in, size_t count, Column* out,
                Convert&& convert) {
  PropagateNulls(&in, 1, count, out);
  ArgReader<From> values(in);
  To* result = out->data<To>();
  const uint8_t* valid = out->validity();
  for (size_t i = 0; i < count; ++i) {
    if (valid != nullptr && valid[i] == 0) continue;
    if (convert(values[i], &result[i])) continue;
    if (!ctx.try_cast) {
      std::string value;
      if constexpr (std::is_same_v<From, int128_t>) {
        value = FormatDecimal(values[i], in.column->type().scale);
      } else if constexpr (std::is_same_v<From, uint8_t>) {
        value = values[i] ? "TRUE" : "FALSE";
      } else {
        value = Describe(values[i]);
      }
      return Status::RuntimeError("cannot cast " + value + " to " + out->type().ToString());
    }
    out->SetNull(i, true);
  }
  return Status::OK();
}

// Fills `out` with NULLs: CAST(NULL AS T).
Status CastNull(const KernelContext&, const Datum*, size_t, size_t count, Column* out) {
  std::memset(out->MutableValidity(), 0, count);
  return Status::OK();
}

template <typename T>
constexpr bool InRange(int64_t v) {
  return v >= std::numeric_limits<T>::min() && v <= std::numeric_limits<T>::max();
}

// --- numeric -> numeric ---

template <typename From, typename To>
Status IntegerToInteger(const KernelContext& ctx, const Datum* args, size_t, size_t count,
                        Column* out) {
  if constexpr (sizeof(To) >= sizeof(From)) {
    PropagateNulls(args, 1, count, out);
    MapUnary<To, From>(args[0], count, out->data<To>(), [](From v) { return static_cast<To>(v); });
    return Status::OK();
  } else {
    return CastRows<From, To>(ctx, args[0], count, out, [](From v, To* r) {
      *r = static_cast<To>(v);
      return InRange<To>(v);
    });
  }
}

template <typename From>
Status IntegerToDouble(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  PropagateNulls(args, 1, count, out);
  MapUnary<double, From>(args[0], count, out->data<double>(),
                         [](From v) { return static_cast<double>(v); });
  return Status::OK();
}

template <typename To>
Status DoubleToInteger(const KernelContext& ctx, const Datum* args, size_t, size_t count,
                       Column* out) {
  return CastRows<double, To>(ctx, args[0], count, out, [](double v, To* r) {
    double t = std::trunc(v);  // Java's (int) cast truncates towards zero
    if (!(t >= static_cast<double>(std::numeric_limits<To>::min()) &&
          t < -static_cast<double>(std::numeric_limits<To>::min()))) {
      return false;
    }
    *r = static_cast<To>(t);
    return true;
  });
}

template <typename From>
Status IntegerToDecimal(const KernelContext& ctx, const Datum* args, size_t, size_t count,
                        Column* out) {
  const LogicalType type = out->type();
  int128_t factor = Pow10(type.scale);
  return CastRows<From, int128_t>(ctx, args[0], count, out, [&](From v, int128_t* r) {
    *r = static_cast<int128_t>(v) * factor;
    return FitsPrecision(*r, type.precision);
  });
}

template <typename To>
Status DecimalToInteger(const KernelContext& ctx, const Datum* args, size_t, size_t count,
                        Column* out) {
  int scale = args[0].column->type().scale;
  return CastRows<int128_t, To>(ctx, args[0], count, out, [&](int128_t v, To* r) {
    int128_t t = RescaleDown(v, scale, 0);
    if (t < std::numeric_limits<To>::min() || t > std::numeric_limits<To>::max()) return false;
    *r = static_cast<To>(t);
    return true;
  });
}

Status DecimalToDecimal(const KernelContext& ctx, const Datum* args, size_t, size_t count,
                        Column* out) {
  int from = args[0].column->type().scale;
  const LogicalType type = out->type();
  return CastRows<int128_t, int128_t>(ctx, args[0], count, out, [&](int128_t v, int128_t* r) {
    std::optional<int128_t> s = Rescale(v, from, type.scale);
    if (!s || !FitsPrecision(*s, type.precision)) return false;
    *r = *s;
    return true;
  });
}

Status DecimalToDoubleCast(const KernelContext&, const Datum* args, size_t, size_t count,
                           Column* out) {
  int scale = args[0].column->type().scale;
  PropagateNulls(args, 1, count, out);
  MapUnary<double, int128_t>(args[0], count, out->data<double>(),
                             [&](int128_t v) { return DecimalToDouble(v, scale); });
  return Status::OK();
}

Status DoubleToDecimal(const KernelContext& ctx, const Datum* args, size_t, size_t count,
                       Column* out) {
  const LogicalType type = out->type();
  return CastRows<double, int128_t>(ctx, args[0], count, out, [&](double v, int128_t* r) {
    std::optional<int128_t> d = DoubleToUnscaled(v, type.precision, type.scale);
    if (!d) return false;
    *r = *d;
    return true;
  });
}

// --- BOOLEAN <-> numeric ---

template <typename To>
Status BooleanToNumeric(const KernelContext&, const Datum* args, size_t, size_t count,
                        Column* out) {
  To one = 1;
  if constexpr (std::is_same_v<To, int128_t>) one = Pow10(out->type().scale);
  PropagateNulls(args, 1, count, out);
  MapUnary<To, uint8_t>(args[0], count, out->data<To>(),
                        [one](uint8_t v) { return v ? one : To{0}; });
  return Status::OK();
}

template <typename From>
Status NumericToBoolean(const KernelContext&, const Datum* args, size_t, size_t count,
                        Column* out) {
  PropagateNulls(args, 1, count, out);
  MapUnary<uint8_t, From>(args[0], count, out->data<uint8_t>(),
                          [](From v) { return static_cast<uint8_t>(v != From{0}); });
  return Status::OK();
}

// --- to VARCHAR ---

template <typename Format>
Status FormatRows(const Datum* args, size_t count, Column* out, Format&& format) {
  StringWriter writer(out);
  return MapValidRows(args, 1, count, out, [&](size_t i) {
    format(i, writer);
    return Status::OK();
  });
}

template <typename From>
Status IntegerToString(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  ArgReader<From> in(args[0]);
  return FormatRows(args, count, out, [&](size_t i, StringWriter& w) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), in[i]);
    w.Copy(i, std::string_view(buf, end - buf));
  });
}

Status DoubleToString(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  ArgReader<double> in(args[0]);
  return FormatRows(args, count, out,
                    [&](size_t i, StringWriter& w) { w.Copy(i, FormatDoubleJava(in[i])); });
}

Status DecimalToStringCast(const KernelContext&, const Datum* args, size_t, size_t count,
                           Column* out) {
  ArgReader<int128_t> in(args[0]);
  int scale = args[0].column->type().scale;
  return FormatRows(args, count, out,
                    [&](size_t i, StringWriter& w) { w.Copy(i, FormatDecimal(in[i], scale)); });
}

Status BooleanToString(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  ArgReader<uint8_t> in(args[0]);
  // Flink 1.15+ prints upper case.
  return FormatRows(args, count, out,
                    [&](size_t i, StringWriter& w) { w.Copy(i, in[i] ? "TRUE" : "FALSE"); });
}

Status DateToString(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  ArgReader<int32_t> in(args[0]);
  return FormatRows(args, count, out,
                    [&](size_t i, StringWriter& w) { w.Copy(i, FormatDate(in[i])); });
}

Status TimestampToString(const KernelContext&, const Datum* args, size_t, size_t count,
                         Column* out) {
  ArgReader<int64_t> in(args[0]);
  int precision = args[0].column->type().precision;
  return FormatRows(args, count, out, [&](size_t i, StringWriter& w) {
    w.Copy(i, FormatTimestampSql(in[i], precision));
  });
}

Status TimestampLtzToString(const KernelContext& ctx, const Datum* args, size_t, size_t count,
                            Column* out) {
  ArgReader<int64_t> in(args[0]);
  int precision = args[0].column->type().precision;
  return FormatRows(args, count, out, [&](size_t i, StringWriter& w) {
    w.Copy(i, FormatTimestampSql(ctx.time_zone->ToLocal(in[i]), precision));
  });
}

// Flink's day-time interval text: "+1 02:03:04.500".
Status IntervalToString(const KernelContext&, const Datum* args, size_t, size_t count,
                        Column* out) {
  ArgReader<int64_t> in(args[0]);
  return FormatRows(args, count, out, [&](size_t i, StringWriter& w) {
    int64_t v = in[i];
    uint64_t m = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    char buf[64];
    int n = std::snprintf(buf, sizeof(buf), "%c%llu %02llu:%02llu:%02llu.%03llu", v < 0 ? '-' : '+',
                          static_cast<unsigned long long>(m / kMicrosPerDay),
                          static_cast<unsigned long long>(m / kMicrosPerHour % 24),
                          static_cast<unsigned long long>(m / kMicrosPerMinute % 60),
                          static_cast<unsigned long long>(m / kMicrosPerSecond % 60),
                          static_cast<unsigned long long>(m / kMicrosPerMilli % 1000));
    w.Copy(i, std::string_view(buf, n));
  });
}

// --- from VARCHAR ---

// Flink's string -> integer: optional sign, digits, and a fractional part that is dropped.
std::optional<int64_t> ParseInteger(std::string_view text) {
  std::string_view s = TrimSpaces(text);
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  size_t start = i;
  uint64_t m = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (m > (std::numeric_limits<uint64_t>::max() - 9) / 10) return std::nullopt;
    m = m * 10 + (s[i] - '0');
  }
  if (i == start) return std::nullopt;
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
    }
  }
  if (i != s.size()) return std::nullopt;
  uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  if (m > limit) return std::nullopt;
  return negative ? static_cast<int64_t>(0 - m) : static_cast<int64_t>(m);
}

template <typename To>
Status StringToInteger(const KernelContext& ctx, const Datum* args, size_t, size_t count,
                       Column* out) {
  return CastRows<std::string_view, To>(ctx, args[0], count, out, [](std::string_view s, To* r) {
    std::optional<int64_t> v = ParseInteger(s);
    if (!v || !InRange<To>(*v)) return false;
    *r = static_cast<To>(*v);
    return true;
  });
}

Status StringToDouble(const KernelContext& ctx, const Datum* args, size_t, size_t count,
                      Column* out) {
  return CastRows<std::string_view, double>(ctx, args[0], count, out,
                                            [](std::string_view s, double* r) {
                                              std::optional<double> v = ParseDoubleJava(s);
                                              if (!v) return false;
                                              *r = *v;
                                              return true;
                                            });
}

Status StringToDecimal(const KernelContext& ctx, const Datum* args, size_t, size_t count,
                       Column* out) {
  const LogicalType type = out->type();
  return CastRows<std::string_view, int128_t>(
      ctx, args[0], count, out, [&](std::string_view s, int128_t* r) {
        std::optional<int128_t> v = ParseDecimal(s, type.precision, type.scale);
        if (!v) return false;
        *r = *v;
        return true;
      });
}

bool EqualsLower(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != lower[i]) return false;
  }
  return true;
}

Status StringToBoolean(const KernelContext& ctx, const Datum* args, size_t, size_t count,
                       Column* out) {
  return CastRows<std::string_view, uint8_t>(
      ctx, args[0], count, out, [](std::string_view text, uint8_t* r) {
        std::string_view s = TrimSpaces(text);
        for (std::string_view t : {"t", "true", "y", "yes", "1"}) {
          if (EqualsLower(s, t)) return *r = 1, true;
        }
        for (std::string_view f : {"f", "false", "n", "no", "0"}) {
          if (EqualsLower(s, f)) return *r = 0, true;
        }
        return false;
      });
}

Status StringToDate(const KernelContext& ctx, const Datum* args, size_t, size_t count,
                    Column* out) {
  return CastRows<std::string_view, int32_t>(
      ctx, args[0], count, out, [](std::string_view text, int32_t* r) {
        std::string_view s = TrimSpaces(text);
        if (std::optional<int32_t> d = ParseDate(s)) {
          return *r = *d, true;
        }
        std::optional<int64_t> ts = ParseTimestamp(s);
        if (!ts) return false;
        *r = static_cast<int32_t>(FloorDiv(*ts, kMicrosPerDay));
        return true;
      });
}

// A trailing 'Z' or +hh:mm makes the text an instant rather than a wall-clock time.
bool HasZoneSuffix(std::string_view s) {
  if (!s.empty() && s.back() == 'Z') return true;
  size_t t = s.find_first_of(" T");
  return t != std::string_view::npos && s.find_first_of("+-", t) != std::string_view::npos;
}

template <bool kLtz>
Status StringToTimestamp(const KernelContext& ctx, const Datum* args, size_t, size_t count,
                         Column* out) {
  return CastRows<std::string_view, int64_t>(
      ctx, args[0], count, out, [&](std::string_view text, int64_t* r) {
        std::string_view s = TrimSpaces(text);
        std::optional<int64_t> v = ParseTimestamp(s);
        if (!v) return false;
        *r = kLtz && !HasZoneSuffix(s) ? ctx.time_zone->ToUtc(*v) : *v;
        return true;
      });
}

// --- temporal ---

int64_t TruncateToPrecision(int64_t micros, int precision) {
  if (precision >= 6) return micros;
  static constexpr int64_t kUnit[] = {1000000, 100000, 10000, 1000, 100, 10};
  return FloorDiv(micros, kUnit[precision]) * kUnit[precision];
}

template <bool kFromLtz, bool kToLtz>
Status TimestampToTimestamp(const KernelContext& ctx, const Datum* args, size_t, size_t count,
                            Column* out) {
  int from_precision = args[0].column->type().precision;
  int precision = out->type().precision;
  const TimeZone& zone = *ctx.time_zone;
  PropagateNulls(args, 1, count, out);
  MapUnary<int64_t, int64_t>(args[0], count, out->data<int64_t>(), [&](int64_t v) {
    if (precision < from_precision) v = TruncateToPrecision(v, precision);
    if constexpr (kFromLtz && !kToLtz) return zone.ToLocal(v);
    if constexpr (!kFromLtz && kToLtz) return zone.ToUtc(v);
    return v;
  });
  return Status::OK();
}

template <bool kLtz>
Status DateToTimestamp(const KernelContext& ctx, const Datum* args, size_t, size_t count,
                       Column* out) {
  const TimeZone& zone = *ctx.time_zone;
  PropagateNulls(args, 1, count, out);
  MapUnary<int64_t, int32_t>(args[0], count, out->data<int64_t>(), [&](int32_t days) {
    int64_t local = static_cast<int64_t>(days) * kMicrosPerDay;
    return kLtz ? zone.ToUtc(local) : local;
  });
  return Status::OK();
}

template <bool kLtz>
Status TimestampToDate(const KernelContext& ctx, const Datum* args, size_t, size_t count,
                       Column* out) {
  const TimeZone& zone = *ctx.time_zone;
  PropagateNulls(args, 1, count, out);
  MapUnary<int32_t, int64_t>(args[0], count, out->data<int32_t>(), [&](int64_t v) {
    return static_cast<int32_t>(FloorDiv(kLtz ? zone.ToLocal(v) : v, kMicrosPerDay));
  });
  return Status::OK();
}

// Numbers as epoch seconds <-> TIMESTAMP_LTZ, as Flink.
template <typename From>
Status EpochSecondsToLtz(const KernelContext& ctx, const Datum* args, size_t, size_t count,
                         Column* out) {
  if constexpr (std::is_same_v<From, double>) {
    return CastRows<double, int64_t>(ctx, args[0], count, out, [](double v, int64_t* r) {
      double micros = std::floor(v * 1e6);
      if (!(std::fabs(micros) < 9.2e18)) return false;
      *r = static_cast<int64_t>(micros);
      return true;
    });
  } else {
    return CastRows<From, int64_t>(ctx, args[0], count, out, [](From v, int64_t* r) {
      return !__builtin_mul_overflow(static_cast<int64_t>(v), kMicrosPerSecond, r);
    });
  }
}

Status LtzToEpochSeconds(const KernelContext&, const Datum* args, size_t, size_t count,
                         Column* out) {
  PropagateNulls(args, 1, count, out);
  MapUnary<int64_t, int64_t>(args[0], count, out->data<int64_t>(),
                             [](int64_t v) { return FloorDiv(v, kMicrosPerSecond); });
  return Status::OK();
}

// --- dispatch ---

ResolvedKernel K(KernelFn fn) {
  return ResolvedKernel{fn, nullptr, nullptr};
}

template <typename From>
std::optional<ResolvedKernel> FromInteger(TypeId to) {
  switch (to) {
    case TypeId::kBoolean:
      return K(NumericToBoolean<From>);
    case TypeId::kInt:
      return K(IntegerToInteger<From, int32_t>);
    case TypeId::kBigint:
      return K(IntegerToInteger<From, int64_t>);
    case TypeId::kDouble:
      return K(IntegerToDouble<From>);
    case TypeId::kDecimal:
      return K(IntegerToDecimal<From>);
    case TypeId::kVarchar:
      return K(IntegerToString<From>);
    case TypeId::kTimestampLtz:
      return K(EpochSecondsToLtz<From>);
    default:
      return std::nullopt;
  }
}

std::optional<ResolvedKernel> FindCast(const LogicalType& from, const LogicalType& to) {
  switch (from.id) {
    case TypeId::kNull:
      return K(CastNull);
    case TypeId::kBoolean:
      switch (to.id) {
        case TypeId::kInt:
          return K(BooleanToNumeric<int32_t>);
        case TypeId::kBigint:
          return K(BooleanToNumeric<int64_t>);
        case TypeId::kDouble:
          return K(BooleanToNumeric<double>);
        case TypeId::kDecimal:
          return K(BooleanToNumeric<int128_t>);
        case TypeId::kVarchar:
          return K(BooleanToString);
        default:
          return std::nullopt;
      }
    case TypeId::kInt:
      return FromInteger<int32_t>(to.id);
    case TypeId::kBigint:
      return FromInteger<int64_t>(to.id);
    case TypeId::kDouble:
      switch (to.id) {
        case TypeId::kBoolean:
          return K(NumericToBoolean<double>);
        case TypeId::kInt:
          return K(DoubleToInteger<int32_t>);
        case TypeId::kBigint:
          return K(DoubleToInteger<int64_t>);
        case TypeId::kDecimal:
          return K(DoubleToDecimal);
        case TypeId::kVarchar:
          return K(DoubleToString);
        case TypeId::kTimestampLtz:
          return K(EpochSecondsToLtz<double>);
        default:
          return std::nullopt;
      }
    case TypeId::kDecimal:
      switch (to.id) {
        case TypeId::kBoolean:
          return K(NumericToBoolean<int128_t>);
        case TypeId::kInt:
          return K(DecimalToInteger<int32_t>);
        case TypeId::kBigint:
          return K(DecimalToInteger<int64_t>);
        case TypeId::kDouble:
          return K(DecimalToDoubleCast);
        case TypeId::kDecimal:
          return K(DecimalToDecimal);
        case TypeId::kVarchar:
          return K(DecimalToStringCast);
        default:
          return std::nullopt;
      }
    case TypeId::kVarchar:
      switch (to.id) {
        case TypeId::kBoolean:
          return K(StringToBoolean);
        case TypeId::kInt:
          return K(StringToInteger<int32_t>);
        case TypeId::kBigint:
          return K(StringToInteger<int64_t>);
        case TypeId::kDouble:
          return K(StringToDouble);
        case TypeId::kDecimal:
          return K(StringToDecimal);
        case TypeId::kDate:
          return K(StringToDate);
        case TypeId::kTimestamp:
          return K(StringToTimestamp<false>);
        case TypeId::kTimestampLtz:
          return K(StringToTimestamp<true>);
        default:
          return std::nullopt;
      }
    case TypeId::kTimestamp:
      switch (to.id) {
        case TypeId::kTimestamp:
          return K(TimestampToTimestamp<false, false>);
        case TypeId::kTimestampLtz:
          return K(TimestampToTimestamp<false, true>);
        case TypeId::kDate:
          return K(TimestampToDate<false>);
        case TypeId::kVarchar:
          return K(TimestampToString);
        default:
          return std::nullopt;
      }
    case TypeId::kTimestampLtz:
      switch (to.id) {
        case TypeId::kTimestamp:
          return K(TimestampToTimestamp<true, false>);
        case TypeId::kTimestampLtz:
          return K(TimestampToTimestamp<true, true>);
        case TypeId::kDate:
          return K(TimestampToDate<true>);
        case TypeId::kVarchar:
          return K(TimestampLtzToString);
        case TypeId::kBigint:
          return K(LtzToEpochSeconds);
        default:
          return std::nullopt;
      }
    case TypeId::kDate:
      switch (to.id) {
        case TypeId::kTimestamp:
          return K(DateToTimestamp<false>);
        case TypeId::kTimestampLtz:
          return K(DateToTimestamp<true>);
        case TypeId::kVarchar:
          return K(DateToString);
        default:
          return std::nullopt;
      }
    case TypeId::kInterval:
      if (to.id == TypeId::kVarchar) return K(IntervalToString);
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

Result<ResolvedKernel> ResolveCast(const LogicalType& from, const LogicalType& to) {
  if (std::optional<ResolvedKernel> k = FindCast(from, to)) return *k;
  return Status::TypeError("cannot cast " + from.ToString() + " to " + to.ToString());
}

}  // namespace sluice
