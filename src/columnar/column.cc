#include "columnar/column.h"

#include <algorithm>

namespace sluice {

std::string_view StringHeap::Add(std::string_view s) {
  if (s.empty()) return {};
  if (chunks_.empty() || chunk_used_ + s.size() > chunk_size_) {
    chunk_size_ = std::max<size_t>(s.size(), std::max<size_t>(chunk_size_ * 2, 4096));
    chunk_size_ = std::min<size_t>(chunk_size_, std::max<size_t>(s.size(), 1 << 20));
    chunks_.push_back(std::make_unique<char[]>(chunk_size_));
    chunk_used_ = 0;
  }
  char* dst = chunks_.back().get() + chunk_used_;
  std::memcpy(dst, s.data(), s.size());
  chunk_used_ += s.size();
  bytes_ += s.size();
  return {dst, s.size()};
}

Column::Column(LogicalType type, size_t capacity) : type_(type), width_(type.PhysicalSize()) {
  if (capacity) buffer_.reserve(capacity * width_);
}

void Column::Resize(size_t rows) {
  buffer_.resize(rows * width_);  // value-initialized: zero ints, null string_views
  if (!validity_.empty()) validity_.resize(rows, 1);
  size_ = rows;
}

void Column::Reserve(size_t rows) {
  buffer_.reserve(rows * width_);
}

void Column::SetNull(size_t row, bool is_null) {
  if (!is_null && validity_.empty()) return;
  MutableValidity()[row] = is_null ? 0 : 1;
}

uint8_t* Column::MutableValidity() {
  if (validity_.empty()) validity_.assign(size_, 1);
  return validity_.data();
}

void Column::AppendNull() {
  Resize(size_ + 1);
  MutableValidity()[size_ - 1] = 0;
}

StringHeap& Column::heap() {
  if (!heap_) heap_ = std::make_shared<StringHeap>();
  return *heap_;
}

void Column::AppendString(std::string_view s) {
  Resize(size_ + 1);
  data<std::string_view>()[size_ - 1] = heap().Add(s);
}

void Column::SetString(size_t row, std::string_view s) {
  data<std::string_view>()[row] = heap().Add(s);
}

void Column::KeepAlive(std::shared_ptr<const void> owner) {
  keep_alive_.push_back(std::move(owner));
}

void Column::ShareMemoryOf(const Column& other) {
  if (type_.id != TypeId::kVarchar) return;
  if (other.heap_) keep_alive_.push_back(other.heap_);
  for (const auto& owner : other.keep_alive_) {
    if (std::find(keep_alive_.begin(), keep_alive_.end(), owner) == keep_alive_.end()) {
      keep_alive_.push_back(owner);
    }
  }
}

void Column::AppendValue(const Value& value) {
  if (value.is_null()) {
    AppendNull();
    return;
  }
  switch (type_.id) {
    case TypeId::kNull:
      AppendNull();
      return;
    case TypeId::kBoolean:
      Append<uint8_t>(value.GetBoolean() ? 1 : 0);
      return;
    case TypeId::kInt:
    case TypeId::kDate:
      Append<int32_t>(static_cast<int32_t>(value.GetInt64()));
      return;
    case TypeId::kBigint:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kInterval:
      Append<int64_t>(value.GetInt64());
      return;
    case TypeId::kDouble:
      Append<double>(value.GetDouble());
      return;
    case TypeId::kDecimal:
      Append<int128_t>(value.GetDecimal());
      return;
    case TypeId::kVarchar:
      AppendString(value.GetString());
      return;
  }
}

Value Column::GetValue(size_t row) const {
  if (IsNull(row) || type_.id == TypeId::kNull) return Value::Null(type_);
  switch (type_.id) {
    case TypeId::kNull:
      return Value::Null(type_);
    case TypeId::kBoolean:
      return Value::Boolean(Get<uint8_t>(row) != 0);
    case TypeId::kInt:
      return Value::Int(Get<int32_t>(row));
    case TypeId::kDate:
      return Value::Date(Get<int32_t>(row));
    case TypeId::kBigint:
      return Value::Bigint(Get<int64_t>(row));
    case TypeId::kTimestamp:
      return Value::Timestamp(Get<int64_t>(row), type_.precision);
    case TypeId::kTimestampLtz:
      return Value::TimestampLtz(Get<int64_t>(row), type_.precision);
    case TypeId::kInterval:
      return Value::Interval(Get<int64_t>(row));
    case TypeId::kDouble:
      return Value::Double(Get<double>(row));
    case TypeId::kDecimal:
      return Value::Decimal(Get<int128_t>(row), type_.precision, type_.scale);
    case TypeId::kVarchar:
      return Value::Varchar(std::string(GetString(row)));
  }
  return Value::Null(type_);
}

namespace {
template <size_t kWidth>
void GatherFixed(const uint8_t* src, uint8_t* dst, const uint32_t* rows, size_t count) {
  for (size_t i = 0; i < count; ++i) std::memcpy(dst + i * kWidth, src + rows[i] * kWidth, kWidth);
}
}  // namespace

ColumnPtr Column::Gather(const uint32_t* rows, size_t count) const {
  auto out = std::make_shared<Column>(type_);
  out->Resize(count);
  const uint8_t* src = buffer_.data();
  uint8_t* dst = out->buffer_.data();
  switch (width_) {
    case 1:
      GatherFixed<1>(src, dst, rows, count);
      break;
    case 4:
      GatherFixed<4>(src, dst, rows, count);
      break;
    case 8:
      GatherFixed<8>(src, dst, rows, count);
      break;
    case 16:
      GatherFixed<16>(src, dst, rows, count);
      break;
    default:
      for (size_t i = 0; i < count; ++i) {
        std::memcpy(dst + i * width_, src + rows[i] * width_, width_);
      }
  }
  if (!validity_.empty()) {
    uint8_t* v = out->MutableValidity();
    for (size_t i = 0; i < count; ++i) v[i] = validity_[rows[i]];
  }
  out->ShareMemoryOf(*this);
  return out;
}

ColumnPtr Column::Slice(size_t offset, size_t count) const {
  auto out = std::make_shared<Column>(type_);
  if (count == 0) return out;  // no buffer to copy from (memcpy from null is undefined)
  out->Resize(count);
  std::memcpy(out->buffer_.data(), buffer_.data() + offset * width_, count * width_);
  if (!validity_.empty()) {
    std::memcpy(out->MutableValidity(), validity_.data() + offset, count);
  }
  out->ShareMemoryOf(*this);
  return out;
}

void Column::AppendFrom(const Column& other, size_t offset, size_t count) {
  if (count == 0) return;  // an empty column has no buffer: memcpy from null is undefined
  size_t old = size_;
  Resize(size_ + count);
  std::memcpy(buffer_.data() + old * width_, other.buffer_.data() + offset * width_,
              count * width_);
  if (!other.validity_.empty()) {
    std::memcpy(MutableValidity() + old, other.validity_.data() + offset, count);
  }
  ShareMemoryOf(other);
}

ColumnPtr Column::Constant(const Value& value, LogicalType type, size_t count) {
  auto out = std::make_shared<Column>(type, count);
  if (count == 0) return out;
  out->AppendValue(value);
  out->Resize(count);
  if (value.is_null()) {
    std::memset(out->MutableValidity(), 0, count);
    return out;
  }
  uint8_t* base = out->buffer_.data();
  for (size_t i = 1; i < count; ++i) std::memcpy(base + i * out->width_, base, out->width_);
  return out;
}

}  // namespace sluice
