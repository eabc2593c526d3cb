#include "formats/avro/avro_row_encoder.h"

#include <optional>

#include "formats/avro/avro_binary.h"
#include "types/time_format.h"
#include "types/value.h"

namespace sluice {

namespace {

// A value the schema cannot hold: the row's fault, not worth retrying.
Status RowError(std::string message) {
  return Status(ErrorCode::kSinkError, std::move(message), /*retryable=*/false);
}

enum WOp : uint8_t {
  kWConst,  // arg: constant
  kWBoolean,
  kWIntAsInt,
  kWIntAsLong,
  kWIntAsFloat,
  kWIntAsDouble,
  kWLongAsLong,
  kWLongAsInt,
  kWLongAsFloat,
  kWLongAsDouble,
  kWDoubleAsDouble,
  kWDoubleAsFloat,
  kWDecimalBytes,  // arg: field scale, arg2: field precision (0: plain bytes, no check)
  kWDecimalFixed,  // as kWDecimalBytes, plus size in `size_`
  kWString,
  kWStringAsEnum,  // arg: symbol table
  kWTimestamp,     // arg: 0 millis, 1 micros, 2 nanos
  kWDate,
};

struct Candidate {
  WOp op;
  int cost;
};

// How a column of `type` is written as `node` (not a union), and how natural that is.
std::optional<Candidate> CandidateFor(const LogicalType& type, const AvroNode& node) {
  const AvroType t = node.type;
  switch (type.id) {
    case TypeId::kBoolean:
      if (t == AvroType::kBoolean) return Candidate{kWBoolean, 0};
      break;
    case TypeId::kInt:
      if (t == AvroType::kInt)
        return Candidate{kWIntAsInt, node.logical == AvroLogicalType::kNone ? 0 : 1};
      if (t == AvroType::kLong) return Candidate{kWIntAsLong, 2};
      if (t == AvroType::kDouble) return Candidate{kWIntAsDouble, 3};
      if (t == AvroType::kFloat) return Candidate{kWIntAsFloat, 4};
      break;
    case TypeId::kBigint:
      if (t == AvroType::kLong)
        return Candidate{kWLongAsLong, node.logical == AvroLogicalType::kNone ? 0 : 1};
      if (t == AvroType::kDouble) return Candidate{kWLongAsDouble, 3};
      if (t == AvroType::kFloat) return Candidate{kWLongAsFloat, 4};
      if (t == AvroType::kInt) return Candidate{kWLongAsInt, 5};
      break;
    case TypeId::kDouble:
      if (t == AvroType::kDouble) return Candidate{kWDoubleAsDouble, 0};
      if (t == AvroType::kFloat) return Candidate{kWDoubleAsFloat, 1};
      break;
    case TypeId::kDecimal:
      if (t == AvroType::kBytes) {
        return Candidate{kWDecimalBytes, node.logical == AvroLogicalType::kDecimal ? 0 : 1};
      }
      if (t == AvroType::kFixed) {
        return Candidate{kWDecimalFixed, node.logical == AvroLogicalType::kDecimal ? 0 : 1};
      }
      break;
    case TypeId::kVarchar:
      if (t == AvroType::kString) return Candidate{kWString, 0};
      if (t == AvroType::kBytes) return Candidate{kWString, 1};
      if (t == AvroType::kEnum) return Candidate{kWStringAsEnum, 2};
      break;
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
      if (t == AvroType::kLong) {
        return Candidate{kWTimestamp, AvroTimestampUnit(node.logical) >= 0 ? 0 : 1};
      }
      break;
    case TypeId::kDate:
      if (t == AvroType::kInt) {
        return Candidate{kWDate, node.logical == AvroLogicalType::kDate ? 0 : 1};
      }
      break;
    case TypeId::kNull:
    case TypeId::kInterval:
      break;
  }
  return std::nullopt;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<AvroRowWriter>> AvroRowWriter::Make(const AvroSchema& writer,
                                                           const Schema& columns) {
  const AvroNode& root = writer.root();
  if (root.type != AvroType::kRecord) {
    return Status::TypeError("the Avro schema to write is not a record but " +
                             writer.Describe(writer.root_index()));
  }
  auto out = std::unique_ptr<AvroRowWriter>(new AvroRowWriter());
  out->columns_ = columns;
  std::vector<bool> used(columns.size(), false);
  for (const AvroField& field : root.fields) {
    out->field_names_.push_back(field.name);
    int column = -1;
    for (size_t c = 0; c < columns.size() && column < 0; ++c) {
      if (!used[c] && columns[c].name == field.name) column = static_cast<int>(c);
    }
    for (size_t c = 0; c < columns.size() && column < 0; ++c) {
      if (!used[c] && EqualsIgnoreCase(columns[c].name, field.name)) column = static_cast<int>(c);
    }
    Step step;
    if (column < 0) {
      if (!field.has_default()) {
        return Status::TypeError("Avro field '" + field.name +
                                 "' has no column of that name and no default");
      }
      std::string bytes;
      SLUICE_RETURN_IF_ERROR(EncodeAvroDefault(writer, field.type, field.default_json, &bytes)
                                 .WithContext("Avro field '" + field.name + "'"));
      step.op = kWConst;
      step.arg = static_cast<int32_t>(out->constants_.size());
      out->constants_.push_back(std::move(bytes));
      out->steps_.push_back(step);
      continue;
    }
    used[column] = true;
    step.column = static_cast<uint32_t>(column);
    const LogicalType& type = columns[column].type;
    int value_node = field.type;
    const AvroNode& fnode = writer.node(field.type);
    if (fnode.type == AvroType::kUnion) {
      int best = -1;
      int best_cost = 1 << 30;
      for (size_t b = 0; b < fnode.branches.size(); ++b) {
        const AvroNode& branch = writer.node(fnode.branches[b]);
        if (branch.type == AvroType::kNull) {
          step.null_branch = static_cast<int8_t>(std::min<size_t>(b, 127));
          continue;
        }
        auto candidate = CandidateFor(type, branch);
        if (candidate && candidate->cost < best_cost) {
          best = static_cast<int>(b);
          best_cost = candidate->cost;
        }
      }
      if (best < 0) {
        return Status::TypeError("column '" + columns[column].name + "' of type " +
                                 type.ToString() + " cannot be written as Avro field '" +
                                 field.name + "' of type " + writer.Describe(field.type));
      }
      step.value_branch = best;
      value_node = fnode.branches[best];
    }
    const AvroNode& node = writer.node(value_node);
    auto candidate = CandidateFor(type, node);
    if (!candidate) {
      return Status::TypeError("column '" + columns[column].name + "' of type " + type.ToString() +
                               " cannot be written as Avro field '" + field.name + "' of type " +
                               writer.Describe(field.type));
    }
    step.op = candidate->op;
    switch (step.op) {
      case kWDecimalBytes:
      case kWDecimalFixed:
        if (node.logical == AvroLogicalType::kDecimal) {
          step.arg = node.scale;
          step.arg2 = node.precision;
        } else {
          step.arg = type.scale;
          step.arg2 = 0;
        }
        step.size = node.fixed_size;
        break;
      case kWStringAsEnum:
        step.arg = static_cast<int32_t>(out->symbols_.size());
        out->symbols_.push_back(node.symbols);
        break;
      case kWTimestamp: {
        int unit = AvroTimestampUnit(node.logical);
        if (unit < 0) unit = type.precision <= 3 ? 0 : 1;
        step.arg = unit;
        break;
      }
      default:
        break;
    }
    out->steps_.push_back(step);
  }
  return out;
}

Status AvroRowWriter::AppendRow(const Batch& batch, size_t row, std::string* out) const {
  for (size_t i = 0; i < steps_.size(); ++i) {
    const Step& step = steps_[i];
    if (step.op == kWConst) {
      out->append(constants_[step.arg]);
      continue;
    }
    const Column& column = *batch.column(step.column);
    if (column.IsNull(row)) {
      if (step.null_branch < 0) {
        return RowError("column '" + columns_[step.column].name + "' is NULL but Avro field '" +
                        field_names_[i] + "' is not nullable");
      }
      AppendAvroLong(step.null_branch, out);
      continue;
    }
    if (step.value_branch >= 0) AppendAvroLong(step.value_branch, out);
    switch (step.op) {
      case kWBoolean:
        out->push_back(column.Get<uint8_t>(row) ? 1 : 0);
        break;
      case kWIntAsInt:
      case kWIntAsLong:
        AppendAvroLong(column.Get<int32_t>(row), out);
        break;
      case kWIntAsFloat:
        AppendAvroFloat(static_cast<float>(column.Get<int32_t>(row)), out);
        break;
      case kWIntAsDouble:
        AppendAvroDouble(column.Get<int32_t>(row), out);
        break;
      case kWLongAsLong:
        AppendAvroLong(column.Get<int64_t>(row), out);
        break;
      case kWLongAsInt: {
        int64_t v = column.Get<int64_t>(row);
        if (v < INT32_MIN || v > INT32_MAX) {
          return RowError("value " + std::to_string(v) + " of column '" +
                          columns_[step.column].name + "' does not fit Avro int field '" +
                          field_names_[i] + "'");
        }
        AppendAvroLong(v, out);
        break;
      }
      case kWLongAsFloat:
        AppendAvroFloat(static_cast<float>(column.Get<int64_t>(row)), out);
        break;
      case kWLongAsDouble:
        AppendAvroDouble(static_cast<double>(column.Get<int64_t>(row)), out);
        break;
      case kWDoubleAsDouble:
        AppendAvroDouble(column.Get<double>(row), out);
        break;
      case kWDoubleAsFloat:
        AppendAvroFloat(static_cast<float>(column.Get<double>(row)), out);
        break;
      case kWDecimalBytes:
      case kWDecimalFixed: {
        const LogicalType& type = columns_[step.column].type;
        const int field_scale = step.arg;
        const int field_precision = step.arg2;
        int128_t v = column.Get<int128_t>(row);
        int128_t scaled;
        if (!RescaleDecimal(v, type.scale, field_scale, &scaled) ||
            (field_precision > 0 && !DecimalFitsPrecision(scaled, field_precision))) {
          return RowError("value " + FormatDecimal(v, type.scale) + " of column '" +
                          columns_[step.column].name + "' does not fit Avro field '" +
                          field_names_[i] + "'");
        }
        if (step.op == kWDecimalBytes) {
          AppendDecimalBytes(scaled, out);
        } else {
          if (!AppendDecimalFixed(scaled, static_cast<size_t>(step.size), out)) {
            return RowError("value " + FormatDecimal(v, type.scale) + " of column '" +
                            columns_[step.column].name + "' does not fit Avro fixed field '" +
                            field_names_[i] + "'");
          }
        }
        break;
      }
      case kWString:
        AppendAvroBytes(column.GetString(row), out);
        break;
      case kWStringAsEnum: {
        std::string_view s = column.GetString(row);
        const auto& symbols = symbols_[step.arg];
        size_t k = 0;
        while (k < symbols.size() && symbols[k] != s) ++k;
        if (k == symbols.size()) {
          return RowError("value '" + std::string(s.substr(0, 40)) + "' of column '" +
                          columns_[step.column].name + "' is not a symbol of Avro enum field '" +
                          field_names_[i] + "'");
        }
        AppendAvroLong(static_cast<int64_t>(k), out);
        break;
      }
      case kWTimestamp: {
        int64_t micros = column.Get<int64_t>(row);
        int64_t v = micros;
        if (step.arg == 0) {
          v = FloorDiv(micros, 1000);
        } else if (step.arg == 2 && __builtin_mul_overflow(micros, int64_t{1000}, &v)) {
          return RowError("timestamp of column '" + columns_[step.column].name +
                          "' is out of range for nanoseconds");
        }
        AppendAvroLong(v, out);
        break;
      }
      case kWDate:
        AppendAvroLong(column.Get<int32_t>(row), out);
        break;
      default:
        return Status::Internal("bad Avro encode step");
    }
  }
  return Status::OK();
}

}  // namespace sluice
