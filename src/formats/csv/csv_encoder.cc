#include "formats/csv/csv_encoder.h"

#include "formats/scalar_text.h"
#include "types/value.h"

namespace sluice {

namespace {

class CsvRecordEncoder final : public RecordEncoder {
 public:
  CsvRecordEncoder(const Schema& schema, const CsvOptions& options)
      : schema_(schema), options_(options) {}

  Status Encode(const Batch& batch, size_t begin, size_t end, std::string* out,
                std::vector<size_t>* row_ends) override {
    for (size_t row = begin; row < end; ++row) {
      for (size_t c = 0; c < schema_.size(); ++c) {
        if (c) out->push_back(options_.delimiter);
        const Column& column = *batch.column(c);
        if (column.IsNull(row)) {
          if (options_.null_literal) AppendString(*options_.null_literal, out);
          continue;
        }
        AppendValue(schema_[c].type, column, row, out);
      }
      out->push_back('\n');
      if (row_ends) row_ends->push_back(out->size());
    }
    return Status::OK();
  }

 private:
  bool IsSpecial(char c) const {
    return c == options_.delimiter || c == '\n' || c == '\r' ||
           (options_.quoting && c == options_.quote) || (options_.escape && c == *options_.escape);
  }

  void AppendString(std::string_view text, std::string* out) const {
    bool special = false;
    for (char c : text) {
      if (IsSpecial(c)) {
        special = true;
        break;
      }
    }
    if (!special) {
      out->append(text);
    } else if (options_.quoting) {
      out->push_back(options_.quote);
      for (char c : text) {
        if (c == options_.quote || (options_.escape && c == *options_.escape)) {
          out->push_back(options_.escape && c == *options_.escape ? c : options_.quote);
        }
        out->push_back(c);
      }
      out->push_back(options_.quote);
    } else if (options_.escape) {
      for (char c : text) {
        if (IsSpecial(c)) out->push_back(*options_.escape);
        out->push_back(c);
      }
    } else {
      out->append(text);  // no way to protect it: the user disabled quoting without an escape
    }
  }

  void AppendValue(const LogicalType& type, const Column& column, size_t row,
                   std::string* out) const {
    switch (type.id) {
      case TypeId::kBoolean:
        out->append(column.Get<uint8_t>(row) ? "true" : "false");
        return;
      case TypeId::kInt:
        AppendInt64Text(column.Get<int32_t>(row), out);
        return;
      case TypeId::kBigint:
        AppendInt64Text(column.Get<int64_t>(row), out);
        return;
      case TypeId::kDouble:
        out->append(FormatDoubleJava(column.Get<double>(row)));
        return;
      case TypeId::kDecimal:
        AppendDecimalText(column.Get<int128_t>(row), type.scale, out);
        return;
      case TypeId::kVarchar:
        AppendString(column.GetString(row), out);
        return;
      case TypeId::kTimestamp:
      case TypeId::kTimestampLtz:
        AppendTimestampText(column.Get<int64_t>(row), type.precision, ' ', out);
        if (type.id == TypeId::kTimestampLtz) out->push_back('Z');
        return;
      case TypeId::kDate:
        AppendDateText(column.Get<int32_t>(row), out);
        return;
      case TypeId::kNull:
      case TypeId::kInterval:
        return;
    }
  }

  Schema schema_;
  CsvOptions options_;
};

}  // namespace

Result<std::unique_ptr<RecordEncoder>> MakeCsvRecordEncoder(const Schema& schema,
                                                            const CsvOptions& options) {
  for (const Field& field : schema.fields) {
    if (field.type.id == TypeId::kInterval) {
      return Status::Unsupported("the csv format cannot write column '" + field.name +
                                 "' of type " + field.type.ToString());
    }
  }
  return std::unique_ptr<RecordEncoder>(std::make_unique<CsvRecordEncoder>(schema, options));
}

}  // namespace sluice
