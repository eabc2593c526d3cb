#include "formats/json/json_encoder.h"

#include <cmath>

#include "formats/scalar_text.h"
#include "types/value.h"

namespace sluice {

namespace {

class JsonRecordEncoder final : public RecordEncoder {
 public:
  JsonRecordEncoder(const Schema& schema, const JsonOptions& options) : options_(options) {
    for (const Field& field : schema.fields) {
      std::string key;
      AppendJsonString(field.name, &key);
      key.push_back(':');
      columns_.push_back({field.type, std::move(key)});
    }
  }

  Status Encode(const Batch& batch, size_t begin, size_t end, std::string* out,
                std::vector<size_t>* row_ends) override {
    for (size_t row = begin; row < end; ++row) {
      out->push_back('{');
      bool first = true;
      for (size_t c = 0; c < columns_.size(); ++c) {
        const Column& column = *batch.column(c);
        const bool is_null = column.IsNull(row);
        if (is_null && options_.ignore_null_fields) continue;
        if (!first) out->push_back(',');
        first = false;
        out->append(columns_[c].key);
        if (is_null) {
          out->append("null");
        } else {
          AppendValue(columns_[c].type, column, row, out);
        }
      }
      out->append("}\n");
      if (row_ends) row_ends->push_back(out->size());
    }
    return Status::OK();
  }

 private:
  struct ColumnInfo {
    LogicalType type;
    std::string key;  // "\"name\":"
  };

  void AppendValue(const LogicalType& type, const Column& column, size_t row, std::string* out) {
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
      case TypeId::kDouble: {
        double v = column.Get<double>(row);
        if (std::isfinite(v)) {
          out->append(FormatDoubleJava(v));
        } else {
          AppendJsonString(FormatDoubleJava(v), out);
        }
        return;
      }
      case TypeId::kDecimal:
        AppendDecimalText(column.Get<int128_t>(row), type.scale, out);
        return;
      case TypeId::kVarchar:
        AppendJsonString(column.GetString(row), out);
        return;
      case TypeId::kTimestamp:
      case TypeId::kTimestampLtz:
        out->push_back('"');
        AppendTimestampText(column.Get<int64_t>(row), type.precision, options_.iso8601 ? 'T' : ' ',
                            out);
        if (type.id == TypeId::kTimestampLtz) out->push_back('Z');
        out->push_back('"');
        return;
      case TypeId::kDate:
        out->push_back('"');
        AppendDateText(column.Get<int32_t>(row), out);
        out->push_back('"');
        return;
      case TypeId::kNull:
      case TypeId::kInterval:
        out->append("null");
        return;
    }
  }

  JsonOptions options_;
  std::vector<ColumnInfo> columns_;
};

}  // namespace

Result<std::unique_ptr<RecordEncoder>> MakeJsonRecordEncoder(const Schema& schema,
                                                             const JsonOptions& options) {
  for (const Field& field : schema.fields) {
    if (field.type.id == TypeId::kInterval) {
      return Status::Unsupported("the json format cannot write column '" + field.name +
                                 "' of type " + field.type.ToString());
    }
  }
  return std::unique_ptr<RecordEncoder>(std::make_unique<JsonRecordEncoder>(schema, options));
}

}  // namespace sluice
