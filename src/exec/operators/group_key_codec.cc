#include "exec/operators/group_key_codec.h"

#include <cstring>
#include <type_traits>

#include "columnar/hash.h"

namespace sluice {

namespace {

bool IsFixedKeyType(TypeId id) {
  switch (id) {
    case TypeId::kNull:
    case TypeId::kBoolean:
    case TypeId::kInt:
    case TypeId::kDate:
    case TypeId::kBigint:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kInterval:
    case TypeId::kDouble:
      return true;
    default:
      return false;
  }
}

// 0.0 and -0.0 are one key (HashRows hashes them alike).
inline double CanonicalZero(double d) {
  return d == 0 ? 0.0 : d;
}

template <typename T>
void FixedBits(const Column& column, size_t rows, uint64_t* out) {
  const T* values = column.data<T>();
  for (size_t i = 0; i < rows; ++i) {
    if constexpr (std::is_same_v<T, double>) {
      double d = CanonicalZero(values[i]);
      std::memcpy(&out[i], &d, sizeof(d));
    } else if constexpr (std::is_same_v<T, int32_t>) {
      out[i] = static_cast<uint32_t>(values[i]);
    } else {
      out[i] = static_cast<uint64_t>(values[i]);
    }
  }
}

template <typename T>
void WriteFixedBytes(const Column& column, size_t rows, char* base, size_t* cursor) {
  const T* values = column.data<T>();
  const uint8_t* valid = column.validity();
  for (size_t i = 0; i < rows; ++i) {
    char* p = base + cursor[i];
    T value = values[i];
    if constexpr (std::is_same_v<T, double>) value = CanonicalZero(value);
    if (valid && !valid[i]) {
      *p = 0;
      std::memset(p + 1, 0, sizeof(T));
    } else {
      *p = 1;
      std::memcpy(p + 1, &value, sizeof(T));
    }
    cursor[i] += 1 + sizeof(T);
  }
}

template <typename T>
void ReadFixedBytes(const char** cursor, size_t count, Column* out) {
  T* values = out->data<T>();
  for (size_t i = 0; i < count; ++i) {
    const char* p = cursor[i];
    if (*p) {
      std::memcpy(&values[i], p + 1, sizeof(T));
    } else {
      out->SetNull(i, true);
    }
    cursor[i] = p + 1 + sizeof(T);
  }
}

template <typename T>
void ReadFixedKeys(const GroupKeyTable& table, const uint32_t* groups, size_t count, Column* out) {
  T* values = out->data<T>();
  for (size_t i = 0; i < count; ++i) {
    const uint32_t g = groups[i];
    if (table.is_null_key(g)) {
      out->SetNull(i, true);
      continue;
    }
    const uint64_t bits = table.fixed_key(g);
    if constexpr (std::is_same_v<T, double>) {
      std::memcpy(&values[i], &bits, sizeof(double));
    } else {
      values[i] = static_cast<T>(bits);
    }
  }
}

}  // namespace

GroupKeyCodec::GroupKeyCodec(std::vector<int> key_columns, std::vector<LogicalType> key_types)
    : key_columns_(std::move(key_columns)), key_types_(std::move(key_types)) {
  if (key_columns_.empty()) {
    layout_ = KeyLayout::kNone;
  } else if (key_columns_.size() == 1 && IsFixedKeyType(key_types_[0].id)) {
    layout_ = KeyLayout::kFixed;
  } else {
    layout_ = KeyLayout::kBytes;
  }
}

void GroupKeyCodec::Encode(const Batch& batch, EncodedKeys* out) const {
  const size_t rows = batch.num_rows();
  out->num_rows = rows;
  if (layout_ == KeyLayout::kNone) return;
  out->hashes.resize(rows);
  HashRows(batch, key_columns_, out->hashes.data());
  if (layout_ == KeyLayout::kFixed) {
    EncodeFixed(*batch.column(key_columns_[0]), rows, out);
  } else {
    EncodeBytes(batch, out);
  }
}

void GroupKeyCodec::EncodeFixed(const Column& column, size_t rows, EncodedKeys* out) const {
  out->fixed.resize(rows);
  out->fixed_null.assign(rows, 0);
  uint64_t* bits = out->fixed.data();
  switch (column.type().id) {
    case TypeId::kNull:
      std::memset(bits, 0, rows * sizeof(uint64_t));
      std::memset(out->fixed_null.data(), 1, rows);
      return;
    case TypeId::kBoolean:
      FixedBits<uint8_t>(column, rows, bits);
      break;
    case TypeId::kInt:
    case TypeId::kDate:
      FixedBits<int32_t>(column, rows, bits);
      break;
    case TypeId::kDouble:
      FixedBits<double>(column, rows, bits);
      break;
    default:
      FixedBits<int64_t>(column, rows, bits);
  }
  if (const uint8_t* valid = column.validity()) {
    for (size_t i = 0; i < rows; ++i) {
      out->fixed_null[i] = valid[i] ^ 1;
      bits[i] &= -static_cast<uint64_t>(valid[i]);  // NULL keys hold 0
    }
  }
}

void GroupKeyCodec::EncodeBytes(const Batch& batch, EncodedKeys* out) const {
  const size_t rows = batch.num_rows();
  // Sizes: fixed-width columns always take 1 + width bytes, strings 1 (+ 4 + length when valid).
  size_t fixed_part = 0;
  for (size_t k = 0; k < key_columns_.size(); ++k) {
    fixed_part += 1 + (key_types_[k].id == TypeId::kVarchar ? 0 : key_types_[k].PhysicalSize());
  }
  std::vector<size_t>& cursor = out->cursor;
  cursor.assign(rows, fixed_part);
  for (size_t k = 0; k < key_columns_.size(); ++k) {
    if (key_types_[k].id != TypeId::kVarchar) continue;
    const Column& column = *batch.column(key_columns_[k]);
    const std::string_view* values = column.data<std::string_view>();
    const uint8_t* valid = column.validity();
    for (size_t i = 0; i < rows; ++i) {
      if (!valid || valid[i]) cursor[i] += 4 + values[i].size();
    }
  }
  size_t total = 0;
  for (size_t i = 0; i < rows; ++i) {
    const size_t size = cursor[i];
    cursor[i] = total;
    total += size;
  }
  out->buffer.resize(total);
  char* base = out->buffer.data();
  out->bytes.resize(rows);
  for (size_t i = 0; i < rows; ++i) {
    const size_t end = i + 1 < rows ? cursor[i + 1] : total;
    out->bytes[i] = std::string_view(base + cursor[i], end - cursor[i]);
  }
  for (size_t k = 0; k < key_columns_.size(); ++k) {
    const Column& column = *batch.column(key_columns_[k]);
    switch (key_types_[k].id) {
      case TypeId::kNull:
      case TypeId::kBoolean:
        WriteFixedBytes<uint8_t>(column, rows, base, cursor.data());
        break;
      case TypeId::kInt:
      case TypeId::kDate:
        WriteFixedBytes<int32_t>(column, rows, base, cursor.data());
        break;
      case TypeId::kDouble:
        WriteFixedBytes<double>(column, rows, base, cursor.data());
        break;
      case TypeId::kDecimal:
        WriteFixedBytes<int128_t>(column, rows, base, cursor.data());
        break;
      case TypeId::kVarchar: {
        const std::string_view* values = column.data<std::string_view>();
        const uint8_t* valid = column.validity();
        for (size_t i = 0; i < rows; ++i) {
          char* p = base + cursor[i];
          if (valid && !valid[i]) {
            *p = 0;
            cursor[i] += 1;
            continue;
          }
          const uint32_t length = static_cast<uint32_t>(values[i].size());
          *p = 1;
          std::memcpy(p + 1, &length, 4);
          if (length) std::memcpy(p + 5, values[i].data(), length);
          cursor[i] += 5 + length;
        }
        break;
      }
      default:
        WriteFixedBytes<int64_t>(column, rows, base, cursor.data());
    }
  }
}

bool GroupKeyCodec::IsWellFormed(std::string_view key) const {
  size_t pos = 0;
  for (const LogicalType& type : key_types_) {
    if (pos >= key.size() || static_cast<uint8_t>(key[pos]) > 1) return false;
    const bool valid = key[pos] == 1;
    pos += 1;
    if (type.id != TypeId::kVarchar) {
      pos += type.PhysicalSize();
    } else if (valid) {
      uint32_t length = 0;
      if (key.size() - pos < 4) return false;
      std::memcpy(&length, key.data() + pos, 4);
      pos += 4;
      if (key.size() - pos < length) return false;
      pos += length;
    }
    if (pos > key.size()) return false;
  }
  return pos == key.size();
}

std::vector<ColumnPtr> GroupKeyCodec::Decode(const GroupKeyTable& table, const uint32_t* groups,
                                             size_t count) const {
  switch (layout_) {
    case KeyLayout::kNone:
      return {};
    case KeyLayout::kFixed:
      return {DecodeFixed(table, groups, count)};
    case KeyLayout::kBytes:
      return DecodeBytes(table, groups, count);
  }
  return {};
}

ColumnPtr GroupKeyCodec::DecodeFixed(const GroupKeyTable& table, const uint32_t* groups,
                                     size_t count) const {
  auto column = std::make_shared<Column>(key_types_[0]);
  column->Resize(count);
  switch (key_types_[0].id) {
    case TypeId::kNull:
      if (count) std::memset(column->MutableValidity(), 0, count);
      break;
    case TypeId::kBoolean:
      ReadFixedKeys<uint8_t>(table, groups, count, column.get());
      break;
    case TypeId::kInt:
    case TypeId::kDate:
      ReadFixedKeys<int32_t>(table, groups, count, column.get());
      break;
    case TypeId::kDouble:
      ReadFixedKeys<double>(table, groups, count, column.get());
      break;
    default:
      ReadFixedKeys<int64_t>(table, groups, count, column.get());
  }
  return column;
}

std::vector<ColumnPtr> GroupKeyCodec::DecodeBytes(const GroupKeyTable& table,
                                                  const uint32_t* groups, size_t count) const {
  std::vector<const char*> cursor(count);
  for (size_t i = 0; i < count; ++i) cursor[i] = table.bytes_key(groups[i]).data();
  std::vector<ColumnPtr> columns;
  columns.reserve(key_types_.size());
  for (const LogicalType& type : key_types_) {
    auto column = std::make_shared<Column>(type);
    column->Resize(count);
    switch (type.id) {
      case TypeId::kNull:
      case TypeId::kBoolean:
        ReadFixedBytes<uint8_t>(cursor.data(), count, column.get());
        break;
      case TypeId::kInt:
      case TypeId::kDate:
        ReadFixedBytes<int32_t>(cursor.data(), count, column.get());
        break;
      case TypeId::kDouble:
        ReadFixedBytes<double>(cursor.data(), count, column.get());
        break;
      case TypeId::kDecimal:
        ReadFixedBytes<int128_t>(cursor.data(), count, column.get());
        break;
      case TypeId::kVarchar:
        for (size_t i = 0; i < count; ++i) {
          const char* p = cursor[i];
          if (!*p) {
            column->SetNull(i, true);
            cursor[i] = p + 1;
            continue;
          }
          uint32_t length;
          std::memcpy(&length, p + 1, 4);
          column->SetString(i, std::string_view(p + 5, length));
          cursor[i] = p + 5 + length;
        }
        break;
      default:
        ReadFixedBytes<int64_t>(cursor.data(), count, column.get());
    }
    columns.push_back(std::move(column));
  }
  return columns;
}

}  // namespace sluice
