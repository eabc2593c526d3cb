#include "connectors/datagen/field_generator.h"

#include <charconv>

#include "types/time_format.h"

namespace sluice {

namespace {
int128_t PowerOfTen(int n) {
  int128_t v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}
}  // namespace

FieldGenerator::FieldGenerator(const DatagenFieldConfig& config, uint64_t stream_seed,
                               int64_t sequence_offset)
    : config_(config),
      values_(stream_seed),
      nulls_(SeedFor(stream_seed, 1)),
      sequence_offset_(sequence_offset) {}

void FieldGenerator::Fill(Column* column, size_t count, uint64_t first_row,
                          const GeneratorClock& clock) {
  if (config_.sequence) {
    FillSequence(column, count, first_row);
  } else {
    FillRandom(column, count, clock);
  }
  if (config_.null_rate > 0) {
    uint8_t* valid = column->MutableValidity();
    for (size_t i = 0; i < count; ++i) valid[i] = nulls_.NextDouble() < config_.null_rate ? 0 : 1;
  }
}

void FieldGenerator::FillSequence(Column* column, size_t count, uint64_t first_row) {
  const int64_t first = config_.start + sequence_offset_ + static_cast<int64_t>(first_row);
  switch (config_.type.id) {
    case TypeId::kInt: {
      auto* out = column->data<int32_t>();
      for (size_t i = 0; i < count; ++i) out[i] = static_cast<int32_t>(first + i);
      return;
    }
    case TypeId::kBigint: {
      auto* out = column->data<int64_t>();
      for (size_t i = 0; i < count; ++i) out[i] = first + static_cast<int64_t>(i);
      return;
    }
    case TypeId::kDouble: {
      auto* out = column->data<double>();
      for (size_t i = 0; i < count; ++i) out[i] = static_cast<double>(first + i);
      return;
    }
    case TypeId::kDecimal: {
      auto* out = column->data<int128_t>();
      const int128_t scale = PowerOfTen(config_.type.scale);
      for (size_t i = 0; i < count; ++i) out[i] = static_cast<int128_t>(first + i) * scale;
      return;
    }
    case TypeId::kVarchar: {
      auto* out = column->data<std::string_view>();
      StringHeap& heap = column->heap();
      char buf[24];
      for (size_t i = 0; i < count; ++i) {
        auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), first + static_cast<int64_t>(i));
        out[i] = heap.Add(std::string_view(buf, end - buf));
      }
      return;
    }
    default:
      return;  // rejected by ParseDatagenConfig
  }
}

void FieldGenerator::FillRandom(Column* column, size_t count, const GeneratorClock& clock) {
  switch (config_.type.id) {
    case TypeId::kBoolean: {
      auto* out = column->data<uint8_t>();
      for (size_t i = 0; i < count; ++i) out[i] = values_.Next() & 1;
      return;
    }
    case TypeId::kInt:
    case TypeId::kBigint: {
      // The span can be 2^64 (the whole BIGINT range), which wraps to 0: then take raw bits.
      const uint64_t span =
          static_cast<uint64_t>(config_.max_int) - static_cast<uint64_t>(config_.min_int) + 1;
      const uint64_t base = static_cast<uint64_t>(config_.min_int);
      if (config_.type.id == TypeId::kInt) {
        auto* out = column->data<int32_t>();
        for (size_t i = 0; i < count; ++i) {
          out[i] = static_cast<int32_t>(base + values_.Below(span));
        }
      } else {
        auto* out = column->data<int64_t>();
        for (size_t i = 0; i < count; ++i) {
          out[i] = static_cast<int64_t>(base + (span ? values_.Below(span) : values_.Next()));
        }
      }
      return;
    }
    case TypeId::kDouble: {
      auto* out = column->data<double>();
      const double lo = config_.min_double;
      const double width = config_.max_double - config_.min_double;
      for (size_t i = 0; i < count; ++i) out[i] = lo + width * values_.NextDouble();
      return;
    }
    case TypeId::kDecimal: {
      auto* out = column->data<int128_t>();
      // Unsigned arithmetic: the span of DECIMAL(38) is wider than int128 holds.
      const auto base = static_cast<unsigned __int128>(config_.min_decimal);
      const unsigned __int128 span = static_cast<unsigned __int128>(config_.max_decimal) - base + 1;
      for (size_t i = 0; i < count; ++i) {
        unsigned __int128 r =
            (static_cast<unsigned __int128>(values_.Next()) << 64) | values_.Next();
        out[i] = static_cast<int128_t>(base + r % span);
      }
      return;
    }
    case TypeId::kVarchar: {
      static constexpr char kHex[] = "0123456789abcdef";
      auto* out = column->data<std::string_view>();
      StringHeap& heap = column->heap();
      const uint64_t max_length = static_cast<uint64_t>(config_.length);
      scratch_.resize(max_length);
      for (size_t i = 0; i < count; ++i) {
        size_t length =
            config_.var_len && max_length > 0 ? 1 + values_.Below(max_length) : max_length;
        for (size_t c = 0; c < length; c += 16) {
          uint64_t bits = values_.Next();
          for (size_t k = c; k < length && k < c + 16; ++k, bits >>= 4) {
            scratch_[k] = kHex[bits & 0xf];
          }
        }
        out[i] = heap.Add(std::string_view(scratch_.data(), length));
      }
      return;
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kDate: {
      const int64_t now =
          config_.type.id == TypeId::kTimestampLtz ? clock.now_utc_micros : clock.now_local_micros;
      const uint64_t span = static_cast<uint64_t>(config_.max_past_micros) + 1;
      if (config_.type.id == TypeId::kDate) {
        auto* out = column->data<int32_t>();
        for (size_t i = 0; i < count; ++i) {
          int64_t t = now - static_cast<int64_t>(values_.Below(span));
          out[i] = static_cast<int32_t>(FloorDiv(t, kMicrosPerDay));
        }
      } else {
        // Flink's datagen keeps millisecond precision for timestamps.
        auto* out = column->data<int64_t>();
        for (size_t i = 0; i < count; ++i) {
          int64_t t = now - static_cast<int64_t>(values_.Below(span));
          out[i] = t - FloorMod(t, kMicrosPerMilli);
        }
      }
      return;
    }
    default:
      return;  // rejected by ParseDatagenConfig
  }
}

}  // namespace sluice
