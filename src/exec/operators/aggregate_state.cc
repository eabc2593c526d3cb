#include "exec/operators/aggregate_state.h"

#include "exec/operators/count_state.h"
#include "exec/operators/distinct_state.h"
#include "exec/operators/min_max_retract_state.h"
#include "exec/operators/min_max_state.h"
#include "exec/operators/sum_avg_state.h"

namespace sluice {

namespace {

using StatePtr = std::unique_ptr<AggregateState>;

// Largest rescale a DECIMAL AVG may need; the result type is DECIMAL(38, max(6, s)).
constexpr int kMaxAverageRescale = 18;

Status TypeMismatch(const AggregateCall& call, const LogicalType& result) {
  return Status::Unsupported(call.ToString() + " over " + call.argument_type.ToString() +
                             " cannot produce " + result.ToString());
}

template <bool kMax>
Result<StatePtr> MakeMinMax(const AggregateCall& call, const LogicalType& result,
                            bool retractable) {
  if (result.id != call.argument_type.id) return TypeMismatch(call, result);
  auto make = [&](auto tag) -> StatePtr {
    using T = decltype(tag);
    if (retractable) return std::make_unique<MinMaxRetractState<T, kMax>>(result);
    return std::make_unique<MinMaxState<T, kMax>>(result);
  };
  switch (call.argument_type.id) {
    case TypeId::kBoolean:
      return make(uint8_t{});
    case TypeId::kInt:
    case TypeId::kDate:
      return make(int32_t{});
    case TypeId::kBigint:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kInterval:
      return make(int64_t{});
    case TypeId::kDouble:
      return make(double{});
    case TypeId::kDecimal:
      return make(int128_t{});
    case TypeId::kVarchar:
      return make(std::string_view{});
    default:
      return Status::Unsupported(call.ToString() + " over " + call.argument_type.ToString() +
                                 " is not supported");
  }
}

template <bool kAvg>
Result<StatePtr> MakeSumAvg(const AggregateCall& call, const LogicalType& result) {
  const LogicalType& arg = call.argument_type;
  if (result.id != arg.id) return TypeMismatch(call, result);
  switch (arg.id) {
    case TypeId::kInt:
      // AVG(INT) sums into a BIGINT, as Flink's IntAvgAggFunction.
      if constexpr (kAvg)
        return StatePtr(std::make_unique<SumAvgState<int32_t, int64_t, true>>(result, 0));
      return StatePtr(std::make_unique<SumAvgState<int32_t, int32_t, false>>(result, 0));
    case TypeId::kBigint:
      return StatePtr(std::make_unique<SumAvgState<int64_t, int64_t, kAvg>>(result, 0));
    case TypeId::kDouble:
      return StatePtr(std::make_unique<SumAvgState<double, double, kAvg>>(result, 0));
    case TypeId::kDecimal: {
      const int extra_scale = kAvg ? result.scale - arg.scale : 0;
      if (!kAvg && result.scale != arg.scale) return TypeMismatch(call, result);
      if (extra_scale > kMaxAverageRescale || extra_scale < -kMaxAverageRescale) {
        return TypeMismatch(call, result);
      }
      return StatePtr(std::make_unique<SumAvgState<int128_t, int128_t, kAvg>>(result, extra_scale));
    }
    default:
      return Status::Unsupported(call.ToString() + " over " + arg.ToString() + " is not supported");
  }
}

Result<StatePtr> MakeDistinct(const AggregateCall& call, const LogicalType& result) {
  StatePtr inner;
  if (call.kind != AggregateKind::kCount) {
    AggregateCall plain = call;
    plain.distinct = false;
    SLUICE_ASSIGN_OR_RETURN(inner, CreateAggregateState(plain, /*retractable=*/false));
  }
  auto make = [&](auto tag) -> StatePtr {
    using T = decltype(tag);
    return std::make_unique<DistinctState<T>>(result, call.argument_type, std::move(inner));
  };
  switch (call.argument_type.id) {
    case TypeId::kBoolean:
      return make(uint8_t{});
    case TypeId::kInt:
    case TypeId::kDate:
      return make(int32_t{});
    case TypeId::kBigint:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kInterval:
      return make(int64_t{});
    case TypeId::kDouble:
      return make(double{});
    case TypeId::kDecimal:
      return make(int128_t{});
    case TypeId::kVarchar:
      return make(std::string_view{});
    default:
      return Status::Unsupported(call.ToString() + " over " + call.argument_type.ToString() +
                                 " is not supported");
  }
}

}  // namespace

void AggregateState::UpdateGroup(const Column* argument, const uint32_t* rows, uint32_t group,
                                 size_t count) {
  same_group_.assign(count, group);
  Update(argument, rows, same_group_.data(), nullptr, count);
}

Result<LogicalType> ResolveResultType(const AggregateCall& call) {
  if (call.result_type.id != TypeId::kNull) return call.result_type;
  return AggregateResultType(call.kind, call.argument_type);
}

Result<std::unique_ptr<AggregateState>> CreateAggregateState(const AggregateCall& call,
                                                             bool retractable) {
  SLUICE_ASSIGN_OR_RETURN(LogicalType result, ResolveResultType(call));
  const bool needs_argument = call.kind != AggregateKind::kCountStar;
  if (needs_argument && call.argument < 0) {
    return Status::Internal(call.ToString() + " has no argument column");
  }
  const bool distinct = call.distinct && call.kind != AggregateKind::kMin &&
                        call.kind != AggregateKind::kMax && needs_argument;
  if ((call.kind == AggregateKind::kCount || call.kind == AggregateKind::kCountStar) &&
      result.id != TypeId::kBigint) {
    return TypeMismatch(call, result);
  }
  if (distinct) return MakeDistinct(call, result);
  switch (call.kind) {
    case AggregateKind::kCountStar:
      return StatePtr(std::make_unique<CountState<true>>());
    case AggregateKind::kCount:
      return StatePtr(std::make_unique<CountState<false>>());
    case AggregateKind::kSum:
      return MakeSumAvg<false>(call, result);
    case AggregateKind::kAvg:
      return MakeSumAvg<true>(call, result);
    case AggregateKind::kMin:
      return MakeMinMax<false>(call, result, retractable);
    case AggregateKind::kMax:
      return MakeMinMax<true>(call, result, retractable);
  }
  return Status::Internal("unknown aggregate kind");
}

}  // namespace sluice
