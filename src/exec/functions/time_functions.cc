// Date and time functions. TIMESTAMP values are wall-clock times; TIMESTAMP_LTZ values are
// instants whose wall-clock parts (EXTRACT, FLOOR TO, DATE_FORMAT...) are read in the session
// time zone. Units and constant formats are parsed once, when the evaluator is built.

#include <cmath>

#include "exec/functions/date_time_pattern.h"
#include "exec/functions/kernel_loops.h"
#include "exec/functions/scalar_function.h"
#include "exec/functions/signature.h"
#include "exec/functions/time_unit.h"
#include "exec/functions/type_coercion.h"
#include "types/time_format.h"

namespace sluice {

namespace {

// --- how each temporal type maps to and from wall-clock micros ---

enum class TimeKind { kTimestamp, kLtz, kDate };

template <TimeKind kKind>
struct TimeCodec {
  using Storage = std::conditional_t<kKind == TimeKind::kDate, int32_t, int64_t>;
  static int64_t ToWall(Storage v, const TimeZone& zone) {
    if constexpr (kKind == TimeKind::kDate) return static_cast<int64_t>(v) * kMicrosPerDay;
    if constexpr (kKind == TimeKind::kLtz) return zone.ToLocal(v);
    return v;
  }
  static Storage FromWall(int64_t wall, const TimeZone& zone) {
    if constexpr (kKind == TimeKind::kDate) {
      return static_cast<int32_t>(FloorDiv(wall, kMicrosPerDay));
    }
    if constexpr (kKind == TimeKind::kLtz) return zone.ToUtc(wall);
    return wall;
  }
};

TimeKind KindOf(TypeId id) {
  return id == TypeId::kDate           ? TimeKind::kDate
         : id == TypeId::kTimestampLtz ? TimeKind::kLtz
                                       : TimeKind::kTimestamp;
}

// Calls fn.template operator()<kKind>() for the kind of `id`.
template <typename Fn>
decltype(auto) VisitTimeKind(TypeId id, Fn&& fn) {
  switch (KindOf(id)) {
    case TimeKind::kDate:
      return fn.template operator()<TimeKind::kDate>();
    case TimeKind::kLtz:
      return fn.template operator()<TimeKind::kLtz>();
    case TimeKind::kTimestamp:
      break;
  }
  return fn.template operator()<TimeKind::kTimestamp>();
}

// --- binding ---

bool IsTemporal(const LogicalType& t) {
  return t.IsTimestamp() || t.id == TypeId::kDate;
}

// A TIMESTAMP / TIMESTAMP_LTZ / DATE argument; NULL becomes TIMESTAMP(3).
Status RequireTemporal(const std::string& name, std::vector<ExprPtr>& args, size_t i) {
  if (args[i]->type.id == TypeId::kNull) args[i] = CastIfNeeded(args[i], LogicalType::Timestamp(3));
  if (!IsTemporal(args[i]->type)) return CannotApply(name, args);
  return Status::OK();
}

Result<TimeUnit> UnitArg(const std::string& name, const ExprPtr& arg, bool interval_only) {
  SLUICE_ASSIGN_OR_RETURN(std::string text, UnitLiteral(name, arg));
  std::optional<TimeUnit> unit = ParseTimeUnit(text);
  if (!unit || (interval_only && !IsIntervalUnit(*unit))) {
    return Status::TypeError("unsupported time unit '" + text + "' for '" + name + "'");
  }
  return *unit;
}

Result<ExprPtr> BindExtract(const std::string& name, std::vector<ExprPtr>& args) {
  SLUICE_RETURN_IF_ERROR(UnitArg(name, args[0], /*interval_only=*/false).status());
  SLUICE_RETURN_IF_ERROR(RequireTemporal(name, args, 1));
  return BoundExpr::Call("extract", LogicalType::Bigint(), args);
}

// YEAR(x), HOUR(x)...: EXTRACT with the unit spelled out.
Result<ExprPtr> BindExtractShorthand(const std::string& name, std::vector<ExprPtr>& args) {
  static const std::pair<const char*, const char*> kUnits[] = {
      {"year", "YEAR"},
      {"quarter", "QUARTER"},
      {"month", "MONTH"},
      {"week", "WEEK"},
      {"dayofyear", "DOY"},
      {"dayofmonth", "DAY"},
      {"dayofweek", "DOW"},
      {"hour", "HOUR"},
      {"minute", "MINUTE"},
      {"second", "SECOND"},
      {"millisecond", "MILLISECOND"},
  };
  std::string unit;
  for (const auto& [fn, u] : kUnits) {
    if (name == fn) unit = u;
  }
  SLUICE_RETURN_IF_ERROR(RequireTemporal(name, args, 0));
  return BoundExpr::Call("extract", LogicalType::Bigint(),
                         {BoundExpr::Literal(Value::Varchar(unit)), args[0]});
}

Result<ExprPtr> BindFloorCeil(const std::string& name, std::vector<ExprPtr>& args) {
  SLUICE_RETURN_IF_ERROR(UnitArg(name, args[0], /*interval_only=*/true).status());
  SLUICE_RETURN_IF_ERROR(RequireTemporal(name, args, 1));
  return BoundExpr::Call(name, args[1]->type, args);
}

Result<ExprPtr> BindTimestampAdd(const std::string& name, std::vector<ExprPtr>& args) {
  SLUICE_ASSIGN_OR_RETURN(TimeUnit unit, UnitArg(name, args[0], /*interval_only=*/true));
  if (!args[1]->type.IsIntegral() && args[1]->type.id != TypeId::kNull) {
    return CannotApply(name, args);
  }
  args[1] = CastIfNeeded(args[1], LogicalType::Bigint());
  SLUICE_RETURN_IF_ERROR(RequireTemporal(name, args, 2));
  LogicalType result = args[2]->type;
  if (result.id == TypeId::kDate && unit < TimeUnit::kDay) result = LogicalType::Timestamp(3);
  return BoundExpr::Call(name, result, args);
}

Result<ExprPtr> BindTimestampDiff(const std::string& name, std::vector<ExprPtr>& args) {
  SLUICE_RETURN_IF_ERROR(UnitArg(name, args[0], /*interval_only=*/true).status());
  SLUICE_RETURN_IF_ERROR(RequireTemporal(name, args, 1));
  SLUICE_RETURN_IF_ERROR(RequireTemporal(name, args, 2));
  SLUICE_ASSIGN_OR_RETURN(LogicalType common, CommonType(args[1]->type, args[2]->type));
  args[1] = CastIfNeeded(args[1], common);
  args[2] = CastIfNeeded(args[2], common);
  return BoundExpr::Call(name, LogicalType::Int(), args);
}

// A literal format is checked while binding, so a typo fails the statement, not the job.
Status CheckFormatArg(const std::string& name, std::vector<ExprPtr>& args, size_t i) {
  if (i >= args.size()) return Status::OK();
  if (args[i]->type.id != TypeId::kVarchar && args[i]->type.id != TypeId::kNull) {
    return CannotApply(name, args);
  }
  args[i] = CastIfNeeded(args[i], LogicalType::Varchar());
  if (IsLiteral(args[i])) return DateTimePattern::Compile(args[i]->literal.GetString()).status();
  return Status::OK();
}

Result<ExprPtr> BindParse(const std::string& name, std::vector<ExprPtr>& args) {
  if (args[0]->type.id != TypeId::kVarchar && args[0]->type.id != TypeId::kNull) {
    return CannotApply(name, args);
  }
  args[0] = CastIfNeeded(args[0], LogicalType::Varchar());
  SLUICE_RETURN_IF_ERROR(CheckFormatArg(name, args, 1));
  LogicalType result = name == "to_date"          ? LogicalType::Date()
                       : name == "unix_timestamp" ? LogicalType::Bigint()
                                                  : LogicalType::Timestamp(3);
  return BoundExpr::Call(name, result, args);
}

Result<ExprPtr> BindUnixTimestamp(const std::string& name, std::vector<ExprPtr>& args) {
  if (args.empty()) return BoundExpr::Call("unix_timestamp", LogicalType::Bigint(), args);
  return BindParse(name, args);
}

Result<ExprPtr> BindDateFormat(const std::string& name, std::vector<ExprPtr>& args) {
  const LogicalType& t = args[0]->type;
  if (t.id == TypeId::kNull) args[0] = CastIfNeeded(args[0], LogicalType::Timestamp(3));
  if (!IsTemporal(args[0]->type) && t.id != TypeId::kVarchar) return CannotApply(name, args);
  SLUICE_RETURN_IF_ERROR(CheckFormatArg(name, args, 1));
  return BoundExpr::Call(name, LogicalType::Varchar(), args);
}

Result<ExprPtr> BindFromUnixtime(const std::string& name, std::vector<ExprPtr>& args) {
  if (!args[0]->type.IsIntegral() && args[0]->type.id != TypeId::kNull) {
    return CannotApply(name, args);
  }
  args[0] = CastIfNeeded(args[0], LogicalType::Bigint());
  SLUICE_RETURN_IF_ERROR(CheckFormatArg(name, args, 1));
  return BoundExpr::Call(name, LogicalType::Varchar(), args);
}

// TO_TIMESTAMP_LTZ(epoch[, precision]): precision 0 = seconds, 3 = milliseconds (default),
// 6 = microseconds.
Result<ExprPtr> BindToTimestampLtz(const std::string& name, std::vector<ExprPtr>& args) {
  const LogicalType& t = args[0]->type;
  if (!t.IsNumeric() && t.id != TypeId::kNull) return CannotApply(name, args);
  args[0] = CastIfNeeded(args[0], t.IsIntegral() || t.id == TypeId::kNull ? LogicalType::Bigint()
                                                                          : LogicalType::Double());
  if (args.size() == 2) {
    int64_t precision =
        IsLiteral(args[1]) && args[1]->type.IsIntegral() ? args[1]->literal.GetInt64() : -1;
    if (precision != 0 && precision != 3 && precision != 6) {
      return Status::TypeError("the precision of 'to_timestamp_ltz' must be 0, 3 or 6");
    }
  }
  return BoundExpr::Call(name, LogicalType::TimestampLtz(3), args);
}

// --- EXTRACT / FLOOR / CEIL ---

const TimeUnit& UnitState(const KernelContext& ctx) {
  return *static_cast<const TimeUnit*>(ctx.state);
}

Result<ResolvedKernel> WithUnit(KernelFn fn, const ConstantArgs& constants) {
  std::string text = constants[0]->GetString();
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::optional<TimeUnit> unit = ParseTimeUnit(text);
  if (!unit) return Status::TypeError("unsupported time unit '" + text + "'");
  return ResolvedKernel{fn, nullptr, std::make_shared<const TimeUnit>(*unit)};
}

template <TimeKind kKind>
Status Extract(const KernelContext& ctx, const Datum* args, size_t, size_t count, Column* out) {
  using Codec = TimeCodec<kKind>;
  TimeUnit unit = UnitState(ctx);
  const TimeZone& zone = *ctx.time_zone;
  PropagateNulls(args + 1, 1, count, out);
  MapUnary<int64_t, typename Codec::Storage>(
      args[1], count, out->data<int64_t>(),
      [&](typename Codec::Storage v) { return ExtractField(unit, Codec::ToWall(v, zone)); });
  return Status::OK();
}

template <TimeKind kKind, bool kCeil>
Status FloorCeil(const KernelContext& ctx, const Datum* args, size_t, size_t count, Column* out) {
  using Codec = TimeCodec<kKind>;
  using Storage = typename Codec::Storage;
  TimeUnit unit = UnitState(ctx);
  const TimeZone& zone = *ctx.time_zone;
  PropagateNulls(args + 1, 1, count, out);
  MapUnary<Storage, Storage>(args[1], count, out->data<Storage>(), [&](Storage v) {
    int64_t wall = Codec::ToWall(v, zone);
    return Codec::FromWall(kCeil ? CeilToUnit(wall, unit) : FloorToUnit(wall, unit), zone);
  });
  return Status::OK();
}

Result<ResolvedKernel> ResolveExtract(const BoundExpr& call, const ConstantArgs& constants) {
  KernelFn fn = VisitTimeKind(call.children[1]->type.id,
                              []<TimeKind kKind>() -> KernelFn { return Extract<kKind>; });
  return WithUnit(fn, constants);
}

template <bool kCeil>
Result<ResolvedKernel> ResolveFloorCeil(const BoundExpr& call, const ConstantArgs& constants) {
  KernelFn fn = VisitTimeKind(call.children[1]->type.id,
                              []<TimeKind kKind>() -> KernelFn { return FloorCeil<kKind, kCeil>; });
  return WithUnit(fn, constants);
}

// --- TIMESTAMPADD / TIMESTAMPDIFF ---

// Units below a day move an LTZ instant directly; calendar units move its wall clock.
template <TimeKind kIn, TimeKind kOut>
Status TimestampAdd(const KernelContext& ctx, const Datum* args, size_t, size_t count,
                    Column* out) {
  using In = TimeCodec<kIn>;
  using Out = TimeCodec<kOut>;
  TimeUnit unit = UnitState(ctx);
  const TimeZone& zone = *ctx.time_zone;
  ArgReader<int64_t> n(args[1]);
  ArgReader<typename In::Storage> x(args[2]);
  auto* r = out->data<typename Out::Storage>();
  return MapValidRows(args + 1, 2, count, out, [&](size_t i) {
    std::optional<int64_t> moved;
    if (kIn == TimeKind::kLtz && unit < TimeUnit::kDay) {
      moved = AddUnits(x[i], unit, n[i]);
      if (moved) r[i] = static_cast<typename Out::Storage>(*moved);
    } else {
      moved = AddUnits(In::ToWall(x[i], zone), unit, n[i]);
      if (moved) r[i] = Out::FromWall(*moved, zone);
    }
    if (!moved) out->SetNull(i, true);
    return Status::OK();
  });
}

Result<ResolvedKernel> ResolveTimestampAdd(const BoundExpr& call, const ConstantArgs& constants) {
  TimeKind in = KindOf(call.children[2]->type.id);
  KernelFn fn;
  if (in == TimeKind::kDate) {
    fn = call.type.id == TypeId::kDate ? TimestampAdd<TimeKind::kDate, TimeKind::kDate>
                                       : TimestampAdd<TimeKind::kDate, TimeKind::kTimestamp>;
  } else if (in == TimeKind::kLtz) {
    fn = TimestampAdd<TimeKind::kLtz, TimeKind::kLtz>;
  } else {
    fn = TimestampAdd<TimeKind::kTimestamp, TimeKind::kTimestamp>;
  }
  return WithUnit(fn, constants);
}

template <TimeKind kKind>
Status TimestampDiff(const KernelContext& ctx, const Datum* args, size_t, size_t count,
                     Column* out) {
  using Codec = TimeCodec<kKind>;
  TimeUnit unit = UnitState(ctx);
  const TimeZone& zone = *ctx.time_zone;
  bool instants = kKind == TimeKind::kLtz && unit < TimeUnit::kDay;
  PropagateNulls(args + 1, 2, count, out);
  MapBinary<int32_t, typename Codec::Storage, typename Codec::Storage>(
      args[1], args[2], count, out->data<int32_t>(),
      [&](typename Codec::Storage a, typename Codec::Storage b) {
        if (instants) return static_cast<int32_t>(DiffUnits(unit, a, b));
        return static_cast<int32_t>(
            DiffUnits(unit, Codec::ToWall(a, zone), Codec::ToWall(b, zone)));
      });
  return Status::OK();
}

Result<ResolvedKernel> ResolveTimestampDiff(const BoundExpr& call, const ConstantArgs& constants) {
  KernelFn fn = VisitTimeKind(call.children[1]->type.id,
                              []<TimeKind kKind>() -> KernelFn { return TimestampDiff<kKind>; });
  return WithUnit(fn, constants);
}

// --- formats ---

constexpr std::string_view kDefaultTimestampFormat = "yyyy-MM-dd HH:mm:ss";

const DateTimePattern& DefaultPattern() {
  static const DateTimePattern* pattern =
      new DateTimePattern(DateTimePattern::Compile(kDefaultTimestampFormat).value());
  return *pattern;
}

// The pattern for a row: the constant one, the default one, or the row's own (compiled when it
// changes). Null when the row's pattern is invalid.
class PatternSource {
 public:
  PatternSource(const KernelContext& ctx, const Datum* args, size_t num_args, size_t format_arg)
      : constant_(static_cast<const DateTimePattern*>(ctx.state)),
        format_(num_args > format_arg ? &args[format_arg] : nullptr) {}

  const DateTimePattern* For(size_t row) {
    if (constant_ != nullptr) return constant_;
    if (format_ == nullptr) return &DefaultPattern();
    std::string_view text = ArgReader<std::string_view>(*format_)[row];
    if (!has_cache_ || text != cached_text_) {
      Result<DateTimePattern> compiled = DateTimePattern::Compile(text);
      cached_ = compiled.ok() ? std::optional<DateTimePattern>(*compiled) : std::nullopt;
      cached_text_ = text;
      has_cache_ = true;
    }
    return cached_ ? &*cached_ : nullptr;
  }

 private:
  const DateTimePattern* constant_;
  const Datum* format_;
  std::optional<DateTimePattern> cached_;
  std::string cached_text_;
  bool has_cache_ = false;
};

// Every formatted function takes its format as the second argument.
template <KernelFn kKernel>
Result<ResolvedKernel> ResolveWithFormat(const BoundExpr&, const ConstantArgs& constants) {
  constexpr size_t format_arg = 1;
  if (constants.size() <= format_arg || !constants[format_arg] ||
      constants[format_arg]->is_null()) {
    return ResolvedKernel{kKernel, nullptr, nullptr};
  }
  SLUICE_ASSIGN_OR_RETURN(DateTimePattern pattern,
                          DateTimePattern::Compile(constants[format_arg]->GetString()));
  return ResolvedKernel{kKernel, nullptr, std::make_shared<const DateTimePattern>(pattern)};
}

// TO_TIMESTAMP(s[, format]) / TO_DATE(s[, format]); unparsable text gives NULL, as Flink.
template <bool kDate>
Status ParseTemporal(const KernelContext& ctx, const Datum* args, size_t num_args, size_t count,
                     Column* out) {
  ArgReader<std::string_view> text(args[0]);
  PatternSource patterns(ctx, args, num_args, 1);
  return MapValidRows(args, num_args, count, out, [&](size_t i) {
    std::optional<int64_t> wall;
    if (num_args == 1) {
      if constexpr (kDate) {
        std::optional<int32_t> days = ParseDate(text[i]);
        if (days) wall = static_cast<int64_t>(*days) * kMicrosPerDay;
      } else {
        wall = ParseTimestamp(text[i]);
      }
    } else if (const DateTimePattern* p = patterns.For(i)) {
      if (auto parsed = p->Parse(text[i])) wall = parsed->wall_micros;
    }
    if (!wall) {
      out->SetNull(i, true);
    } else if constexpr (kDate) {
      out->data<int32_t>()[i] = static_cast<int32_t>(FloorDiv(*wall, kMicrosPerDay));
    } else {
      out->data<int64_t>()[i] = *wall;
    }
    return Status::OK();
  });
}

// UNIX_TIMESTAMP(s[, format]): seconds of the instant the text names in the session zone (or in
// the offset the text carries). NULL when it does not parse (Flink returns Long.MIN_VALUE).
Status UnixTimestampOf(const KernelContext& ctx, const Datum* args, size_t num_args, size_t count,
                       Column* out) {
  ArgReader<std::string_view> text(args[0]);
  PatternSource patterns(ctx, args, num_args, 1);
  int64_t* r = out->data<int64_t>();
  return MapValidRows(args, num_args, count, out, [&](size_t i) {
    const DateTimePattern* p = patterns.For(i);
    std::optional<DateTimePattern::Parsed> parsed = p ? p->Parse(text[i]) : std::nullopt;
    if (!parsed) {
      out->SetNull(i, true);
      return Status::OK();
    }
    int64_t instant = parsed->offset_micros ? parsed->wall_micros - *parsed->offset_micros
                                            : ctx.time_zone->ToUtc(parsed->wall_micros);
    r[i] = FloorDiv(instant, kMicrosPerSecond);
    return Status::OK();
  });
}

// DATE_FORMAT(x, format) for TIMESTAMP, TIMESTAMP_LTZ, DATE and timestamp text.
template <TypeId kInput>
Status DateFormat(const KernelContext& ctx, const Datum* args, size_t num_args, size_t count,
                  Column* out) {
  const TimeZone& zone = *ctx.time_zone;
  PatternSource patterns(ctx, args, num_args, 1);
  StringWriter w(out);
  std::string buf;
  return MapValidRows(args, num_args, count, out, [&](size_t i) {
    int64_t wall, offset;
    if constexpr (kInput == TypeId::kVarchar) {
      std::optional<int64_t> parsed = ParseTimestamp(ArgReader<std::string_view>(args[0])[i]);
      if (!parsed) {
        w.Null(i);
        return Status::OK();
      }
      wall = *parsed;
      offset = zone.OffsetAtUtc(zone.ToUtc(wall));
    } else if constexpr (kInput == TypeId::kDate) {
      wall = static_cast<int64_t>(ArgReader<int32_t>(args[0])[i]) * kMicrosPerDay;
      offset = zone.OffsetAtUtc(zone.ToUtc(wall));
    } else if constexpr (kInput == TypeId::kTimestampLtz) {
      int64_t instant = ArgReader<int64_t>(args[0])[i];
      offset = zone.OffsetAtUtc(instant);
      wall = instant + offset;
    } else {
      wall = ArgReader<int64_t>(args[0])[i];
      offset = zone.OffsetAtUtc(zone.ToUtc(wall));
    }
    const DateTimePattern* p = patterns.For(i);
    if (p == nullptr) {
      w.Null(i);
      return Status::OK();
    }
    buf.clear();
    p->Format(wall, offset, &buf);
    w.Copy(i, buf);
    return Status::OK();
  });
}

Result<ResolvedKernel> ResolveDateFormat(const BoundExpr& call, const ConstantArgs& constants) {
  switch (call.children[0]->type.id) {
    case TypeId::kVarchar:
      return ResolveWithFormat<DateFormat<TypeId::kVarchar>>(call, constants);
    case TypeId::kDate:
      return ResolveWithFormat<DateFormat<TypeId::kDate>>(call, constants);
    case TypeId::kTimestampLtz:
      return ResolveWithFormat<DateFormat<TypeId::kTimestampLtz>>(call, constants);
    default:
      return ResolveWithFormat<DateFormat<TypeId::kTimestamp>>(call, constants);
  }
}

// FROM_UNIXTIME(seconds[, format]) in the session zone.
Status FromUnixtime(const KernelContext& ctx, const Datum* args, size_t num_args, size_t count,
                    Column* out) {
  const TimeZone& zone = *ctx.time_zone;
  ArgReader<int64_t> seconds(args[0]);
  PatternSource patterns(ctx, args, num_args, 1);
  StringWriter w(out);
  std::string buf;
  return MapValidRows(args, num_args, count, out, [&](size_t i) {
    int64_t instant;
    const DateTimePattern* p = patterns.For(i);
    if (p == nullptr || __builtin_mul_overflow(seconds[i], kMicrosPerSecond, &instant)) {
      w.Null(i);
      return Status::OK();
    }
    int64_t offset = zone.OffsetAtUtc(instant);
    buf.clear();
    p->Format(instant + offset, offset, &buf);
    w.Copy(i, buf);
    return Status::OK();
  });
}

// --- epoch conversions and the clock ---

struct EpochUnit {
  int64_t micros;
};

Result<ResolvedKernel> ResolveToTimestampLtz(const BoundExpr& call, const ConstantArgs&) {
  int64_t precision = call.children.size() > 1 ? call.children[1]->literal.GetInt64() : 3;
  int64_t micros = precision == 0 ? kMicrosPerSecond : precision == 3 ? kMicrosPerMilli : 1;
  KernelFn fn = call.children[0]->type.id == TypeId::kDouble
      ? +[](const KernelContext& ctx, const Datum* args, size_t, size_t count,
            Column* out) -> Status {
    int64_t unit = static_cast<const EpochUnit*>(ctx.state)->micros;
    ArgReader<double> v(args[0]);
    int64_t* r = out->data<int64_t>();
    return MapValidRows(args, 1, count, out, [&](size_t i) {
      double micros = std::trunc(v[i] * static_cast<double>(unit));
      if (std::fabs(micros) < 9.2e18) {
        r[i] = static_cast<int64_t>(micros);
      } else {
        out->SetNull(i, true);
      }
      return Status::OK();
    });
  }
  : +[](const KernelContext& ctx, const Datum* args, size_t, size_t count, Column* out) -> Status {
      int64_t unit = static_cast<const EpochUnit*>(ctx.state)->micros;
      ArgReader<int64_t> v(args[0]);
      int64_t* r = out->data<int64_t>();
      return MapValidRows(args, 1, count, out, [&](size_t i) {
        if (__builtin_mul_overflow(v[i], unit, &r[i])) out->SetNull(i, true);
        return Status::OK();
      });
    };
  return ResolvedKernel{fn, nullptr, std::make_shared<const EpochUnit>(EpochUnit{micros})};
}

int64_t NowMillis(const KernelContext& ctx) {
  return FloorDiv(ctx.now_micros, kMicrosPerMilli) * kMicrosPerMilli;
}

Status CurrentTimestamp(const KernelContext& ctx, const Datum*, size_t, size_t count, Column* out) {
  std::fill_n(out->data<int64_t>(), count, NowMillis(ctx));
  return Status::OK();
}

Status LocalTimestamp(const KernelContext& ctx, const Datum*, size_t, size_t count, Column* out) {
  std::fill_n(out->data<int64_t>(), count, ctx.time_zone->ToLocal(NowMillis(ctx)));
  return Status::OK();
}

Status CurrentDate(const KernelContext& ctx, const Datum*, size_t, size_t count, Column* out) {
  auto today =
      static_cast<int32_t>(FloorDiv(ctx.time_zone->ToLocal(ctx.now_micros), kMicrosPerDay));
  std::fill_n(out->data<int32_t>(), count, today);
  return Status::OK();
}

Status UnixTimestamp(const KernelContext& ctx, const Datum* args, size_t num_args, size_t count,
                     Column* out) {
  if (num_args > 0) return UnixTimestampOf(ctx, args, num_args, count, out);
  std::fill_n(out->data<int64_t>(), count, FloorDiv(ctx.now_micros, kMicrosPerSecond));
  return Status::OK();
}

constexpr TypeId kLtz = TypeId::kTimestampLtz;

const ScalarFunction kFunctions[] = {
    {"extract", 2, 2, BindExtract, ResolveExtract},
    {"year", 1, 1, BindExtractShorthand, ResolveExtract},
    {"quarter", 1, 1, BindExtractShorthand, ResolveExtract},
    {"month", 1, 1, BindExtractShorthand, ResolveExtract},
    {"week", 1, 1, BindExtractShorthand, ResolveExtract},
    {"dayofyear", 1, 1, BindExtractShorthand, ResolveExtract},
    {"dayofmonth", 1, 1, BindExtractShorthand, ResolveExtract},
    {"dayofweek", 1, 1, BindExtractShorthand, ResolveExtract},
    {"hour", 1, 1, BindExtractShorthand, ResolveExtract},
    {"minute", 1, 1, BindExtractShorthand, ResolveExtract},
    {"second", 1, 1, BindExtractShorthand, ResolveExtract},
    {"millisecond", 1, 1, BindExtractShorthand, ResolveExtract},
    {"timestamp_floor", 2, 2, BindFloorCeil, ResolveFloorCeil<false>},
    {"timestamp_ceil", 2, 2, BindFloorCeil, ResolveFloorCeil<true>},
    {"timestampadd", 3, 3, BindTimestampAdd, ResolveTimestampAdd},
    {"timestampdiff", 3, 3, BindTimestampDiff, ResolveTimestampDiff},
    {"to_timestamp_ltz", 1, 2, BindToTimestampLtz, ResolveToTimestampLtz},
    {"to_timestamp", 1, 2, BindParse, ResolveWithFormat<ParseTemporal<false>>},
    {"to_date", 1, 2, BindParse, ResolveWithFormat<ParseTemporal<true>>},
    {"unix_timestamp", 0, 2, BindUnixTimestamp, ResolveWithFormat<UnixTimestamp>,
     /*deterministic=*/false},
    {"from_unixtime", 1, 2, BindFromUnixtime, ResolveWithFormat<FromUnixtime>},
    {"date_format", 2, 2, BindDateFormat, ResolveDateFormat},
    {"current_timestamp", 0, 0, BindSignature<"", kLtz>, FixedKernel<CurrentTimestamp>,
     /*deterministic=*/false},
    {"now", 0, 0, BindSignature<"", kLtz>, FixedKernel<CurrentTimestamp>,
     /*deterministic=*/false},
    {"localtimestamp", 0, 0, BindSignature<"", TypeId::kTimestamp>, FixedKernel<LocalTimestamp>,
     /*deterministic=*/false},
    {"current_date", 0, 0, BindSignature<"", TypeId::kDate>, FixedKernel<CurrentDate>,
     /*deterministic=*/false},
};

}  // namespace

std::span<const ScalarFunction> TimeFunctions() {
  return kFunctions;
}

}  // namespace sluice
