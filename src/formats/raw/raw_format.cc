#include "formats/raw/raw_format.h"

#include <simdjson.h>

#include <bit>
#include <cctype>
#include <cstring>

#include "formats/option_reader.h"

namespace sluice {

namespace {

struct RawOptions {
  bool little_endian = false;
};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

Result<RawOptions> ParseRawOptions(const Options& options) {
  OptionReader reader(options);
  RawOptions out;
  std::string charset = reader.String("raw.charset", "UTF-8");
  if (!EqualsIgnoreCase(charset, "UTF-8") && !EqualsIgnoreCase(charset, "UTF8")) {
    return Status::Unsupported("option 'raw.charset': only 'UTF-8' is supported, got '" + charset +
                               "'");
  }
  std::string endianness = reader.String("raw.endianness", "big-endian");
  if (endianness == "little-endian") {
    out.little_endian = true;
  } else if (endianness != "big-endian") {
    return Status::InvalidOption(
        "option 'raw.endianness' expects 'big-endian' or 'little-endian', got '" + endianness +
        "'");
  }
  return out;
}

// The single column, checked: Flink's raw format has exactly one physical column.
Result<Field> RawColumn(const Schema& schema, std::string_view verb) {
  if (schema.size() != 1) {
    std::string names;
    for (const Field& f : schema.fields) names += (names.empty() ? "" : ", ") + f.name;
    return Status::Unsupported(
        "the raw format needs exactly one physical column, but the table has " +
        std::to_string(schema.size()) + (names.empty() ? "" : " (" + names + ")"));
  }
  const Field& field = schema[0];
  switch (field.type.id) {
    case TypeId::kVarchar:
    case TypeId::kBoolean:
    case TypeId::kInt:
    case TypeId::kBigint:
    case TypeId::kDouble:
      return field;
    default:
      return Status::Unsupported("the raw format cannot " + std::string(verb) + " column '" +
                                 field.name + "' of type " + field.type.ToString() +
                                 ": it supports STRING, BOOLEAN, INT, BIGINT and DOUBLE (sluice "
                                 "has no BYTES type yet)");
  }
}

size_t FixedWidth(TypeId id) {
  switch (id) {
    case TypeId::kBoolean:
      return 1;
    case TypeId::kInt:
      return 4;
    case TypeId::kBigint:
    case TypeId::kDouble:
      return 8;
    default:
      return 0;
  }
}

template <typename T>
T LoadNumber(const char* bytes, bool little_endian) {
  T value;
  std::memcpy(&value, bytes, sizeof(T));
  if (little_endian != (std::endian::native == std::endian::little)) {
    char* p = reinterpret_cast<char*>(&value);
    for (size_t i = 0; i < sizeof(T) / 2; ++i) std::swap(p[i], p[sizeof(T) - 1 - i]);
  }
  return value;
}

template <typename T>
void StoreNumber(T value, bool little_endian, std::string* out) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  if (little_endian != (std::endian::native == std::endian::little)) {
    for (size_t i = 0; i < sizeof(T) / 2; ++i) std::swap(bytes[i], bytes[sizeof(T) - 1 - i]);
  }
  out->append(bytes, sizeof(T));
}

class RawRecordDecoder final : public RecordDecoder {
 public:
  RawRecordDecoder(const Schema& schema, RawOptions options)
      : schema_(schema), options_(options), width_(FixedWidth(schema[0].type.id)) {}

  const Schema& schema() const override { return schema_; }

  size_t SplitRecords(std::string_view data, bool at_end, size_t max_records,
                      std::vector<std::string_view>* records) const override {
    return 0;  // framed by the transport
  }

  Status Decode(const RecordInput& input, Batch* out, DecodeResult* result) override {
    *result = DecodeResult();
    if (out->num_columns() == 0) *out = Batch::Empty(schema_);
    if (out->num_columns() != 1) {
      return Status::Internal("raw decoder: batch has " + std::to_string(out->num_columns()) +
                              " columns, expected 1");
    }
    Column& column = *out->mutable_column(0);
    const size_t base = out->num_rows();
    const size_t count = input.records.size();
    column.Resize(base + count);
    const TypeId id = schema_[0].type.id;
    bool used_views = false;
    size_t row = base;
    Status status;
    for (size_t r = 0; r < count; ++r) {
      std::string_view record = input.records[r];
      if (record.data() == nullptr) {
        column.SetNull(row++, true);
        continue;
      }
      if (column.HasNulls()) column.SetNull(row, false);
      if (id == TypeId::kVarchar) {
        auto* views = column.data<std::string_view>();
        if (simdjson::validate_utf8(record.data(), record.size())) {
          if (input.owner) {
            views[row] = record;
            used_views = true;
          } else {
            views[row] = column.heap().Add(record);
          }
        } else {
          scratch_.clear();
          AppendUtf8Replacing(record, &scratch_);
          views[row] = column.heap().Add(scratch_);
        }
        ++row;
        continue;
      }
      if (record.size() != width_) {
        result->consumed = r;
        status = Status::DecodeError("expected " + std::to_string(width_) + " byte" +
                                     (width_ == 1 ? "" : "s") + " for column '" + schema_[0].name +
                                     "' of type " + schema_[0].type.ToString() + ", got " +
                                     std::to_string(record.size()));
        break;
      }
      switch (id) {
        case TypeId::kBoolean:
          column.data<uint8_t>()[row] = record[0] != 0 ? 1 : 0;
          break;
        case TypeId::kInt:
          column.data<int32_t>()[row] = LoadNumber<int32_t>(record.data(), options_.little_endian);
          break;
        case TypeId::kBigint:
          column.data<int64_t>()[row] = LoadNumber<int64_t>(record.data(), options_.little_endian);
          break;
        case TypeId::kDouble:
          column.data<double>()[row] = LoadNumber<double>(record.data(), options_.little_endian);
          break;
        default:
          break;
      }
      ++row;
    }
    if (status.ok()) result->consumed = count;
    column.Resize(row);
    if (used_views) column.KeepAlive(input.owner);
    out->set_num_rows(row);
    result->rows = row - base;
    return status;
  }

 private:
  Schema schema_;
  RawOptions options_;
  size_t width_;
  std::string scratch_;
};

class RawRecordEncoder final : public RecordEncoder {
 public:
  RawRecordEncoder(const Field& field, RawOptions options) : field_(field), options_(options) {}

  Status Encode(const Batch& batch, size_t begin, size_t end, std::string* out,
                std::vector<size_t>* row_ends) override {
    const Column& column = *batch.column(0);
    for (size_t row = begin; row < end; ++row) {
      if (!column.IsNull(row)) {
        switch (field_.type.id) {
          case TypeId::kVarchar:
            out->append(column.GetString(row));
            break;
          case TypeId::kBoolean:
            out->push_back(column.Get<uint8_t>(row) ? 1 : 0);
            break;
          case TypeId::kInt:
            StoreNumber(column.Get<int32_t>(row), options_.little_endian, out);
            break;
          case TypeId::kBigint:
            StoreNumber(column.Get<int64_t>(row), options_.little_endian, out);
            break;
          case TypeId::kDouble:
            StoreNumber(column.Get<double>(row), options_.little_endian, out);
            break;
          default:
            break;
        }
      }
      if (row_ends) row_ends->push_back(out->size());
    }
    return Status::OK();
  }

 private:
  Field field_;
  RawOptions options_;
};

Result<std::unique_ptr<RecordDecoder>> MakeRawDecoder(const Schema& schema,
                                                      const Options& options) {
  SLUICE_ASSIGN_OR_RETURN(RawOptions raw, ParseRawOptions(options));
  SLUICE_RETURN_IF_ERROR(RawColumn(schema, "read").status());
  return std::unique_ptr<RecordDecoder>(std::make_unique<RawRecordDecoder>(schema, raw));
}

Result<std::unique_ptr<RecordEncoder>> MakeRawEncoder(const Schema& schema,
                                                      const Options& options) {
  SLUICE_ASSIGN_OR_RETURN(RawOptions raw, ParseRawOptions(options));
  SLUICE_ASSIGN_OR_RETURN(Field field, RawColumn(schema, "write"));
  return std::unique_ptr<RecordEncoder>(std::make_unique<RawRecordEncoder>(field, raw));
}

}  // namespace

void AppendUtf8Replacing(std::string_view text, std::string* out) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      out->push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
    }
    // The longest valid prefix of a sequence is replaced by one U+FFFD, as Java does.
    size_t good = len == 0 ? 0 : 1;
    if (len > 0) {
      if (i + 1 < n && s[i + 1] >= lo && s[i + 1] <= hi) {
        good = 2;
        while (good < len && i + good < n && (s[i + good] & 0xC0) == 0x80) ++good;
      }
    }
    if (len > 0 && good == len) {
      out->append(text.data() + i, len);
      i += len;
    } else {
      out->append(kReplacement);
      i += std::max<size_t>(good, 1);
    }
  }
}

const FormatSpec kRawFormat = {
    .name = "raw",
    .file_extension = "raw",
    .options =
        {
            {"raw.charset", "UTF-8", "Charset of STRING values; only UTF-8."},
            {"raw.endianness", "big-endian",
             "Byte order of numeric values: 'big-endian' or 'little-endian'."},
        },
    .framed_by_transport = true,
    .make_decoder = MakeRawDecoder,
    .make_encoder = MakeRawEncoder,
};

}  // namespace sluice
