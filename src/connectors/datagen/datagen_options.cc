#include "connectors/datagen/datagen_options.h"

#include <algorithm>

#include "connectors/datagen/rate_limiter.h"
#include "formats/option_reader.h"
#include "formats/scalar_text.h"
#include "runtime/session_config.h"

namespace sluice {

std::optional<int64_t> DatagenConfig::TotalRows() const {
  std::optional<int64_t> total = number_of_rows;
  for (const auto& f : fields) {
    if (!f.sequence) continue;
    int64_t length = f.end - f.start + 1;
    total = total ? std::min(*total, length) : length;
  }
  return total;
}

namespace {

int128_t MaxUnscaled(int precision) {
  int128_t v = 1;
  for (int i = 0; i < precision; ++i) v *= 10;
  return v - 1;
}

Status ParseDecimalOption(const OptionReader& reader, const std::string& key,
                          const LogicalType& type, int128_t* out) {
  if (!reader.Has(key)) return Status::OK();
  std::string text = reader.String(key, "");
  if (ParseDecimalText(text, type.precision, type.scale, out) != TextParse::kOk) {
    return Status::InvalidOption("option '" + key + "' expects a " + type.ToString() +
                                 " value, got '" + text + "'");
  }
  return Status::OK();
}

Status ParseField(const Field& field, const OptionReader& reader, DatagenFieldConfig* f) {
  const std::string prefix = "fields." + field.name + ".";
  auto key = [&](const char* name) { return prefix + name; };
  f->name = field.name;
  f->type = field.type;
  const TypeId id = field.type.id;

  std::string kind = reader.String(key("kind"), "random");
  if (kind != "random" && kind != "sequence") {
    return Status::InvalidOption("option '" + key("kind") +
                                 "' expects 'random' or 'sequence', got '" + kind + "'");
  }
  f->sequence = kind == "sequence";
  SLUICE_ASSIGN_OR_RETURN(f->null_rate, reader.Double(key("null-rate"), 0.0));
  if (f->null_rate < 0 || f->null_rate > 1) {
    return Status::InvalidOption("option '" + key("null-rate") + "' expects a number from 0 to 1");
  }

  // Options that only make sense for some kinds and types are rejected elsewhere, as Flink does.
  std::vector<std::string> allowed = {"kind", "null-rate"};
  if (id == TypeId::kInterval || id == TypeId::kNull) {
    return Status::Unsupported("datagen cannot generate column '" + field.name + "' of type " +
                               field.type.ToString());
  }
  if (f->sequence) {
    if (id != TypeId::kInt && id != TypeId::kBigint && id != TypeId::kDouble &&
        id != TypeId::kDecimal && id != TypeId::kVarchar) {
      return Status::InvalidOption(
          "a 'sequence' field must be INT, BIGINT, DOUBLE, DECIMAL or "
          "STRING; column '" +
          field.name + "' is " + field.type.ToString());
    }
    allowed.insert(allowed.end(), {"start", "end"});
    if (!reader.Has(key("start")) || !reader.Has(key("end"))) {
      return Status::InvalidOption("sequence field '" + field.name + "' needs options '" +
                                   key("start") + "' and '" + key("end") + "'");
    }
    SLUICE_ASSIGN_OR_RETURN(f->start, reader.Int(key("start"), 0));
    SLUICE_ASSIGN_OR_RETURN(f->end, reader.Int(key("end"), 0));
    if (f->end < f->start) {
      return Status::InvalidOption("option '" + key("end") + "' must not be less than '" +
                                   key("start") + "'");
    }
    if (f->end - f->start == INT64_MAX) {
      return Status::InvalidOption("sequence of field '" + field.name + "' is too long");
    }
    if (id == TypeId::kInt && (f->start < INT32_MIN || f->end > INT32_MAX)) {
      return Status::InvalidOption("sequence of INT field '" + field.name +
                                   "' goes beyond the INT range");
    }
    if (id == TypeId::kDecimal) {
      int128_t limit = MaxUnscaled(field.type.precision - field.type.scale);
      if (f->start < -limit || f->end > limit) {
        return Status::InvalidOption("sequence of field '" + field.name + "' does not fit " +
                                     field.type.ToString());
      }
    }
  } else {
    switch (id) {
      case TypeId::kInt:
      case TypeId::kBigint: {
        allowed.insert(allowed.end(), {"min", "max"});
        const bool is_int = id == TypeId::kInt;
        int64_t lo = is_int ? INT32_MIN : INT64_MIN;
        int64_t hi = is_int ? INT32_MAX : INT64_MAX;
        SLUICE_ASSIGN_OR_RETURN(f->min_int, reader.Int(key("min"), lo, lo, hi));
        SLUICE_ASSIGN_OR_RETURN(f->max_int, reader.Int(key("max"), hi, lo, hi));
        if (f->min_int > f->max_int) {
          return Status::InvalidOption("option '" + key("min") + "' is greater than '" +
                                       key("max") + "'");
        }
        break;
      }
      case TypeId::kDouble: {
        allowed.insert(allowed.end(), {"min", "max"});
        SLUICE_ASSIGN_OR_RETURN(f->min_double, reader.Double(key("min"), 4.9e-324));
        SLUICE_ASSIGN_OR_RETURN(f->max_double, reader.Double(key("max"), 1.7976931348623157e308));
        if (f->min_double > f->max_double) {
          return Status::InvalidOption("option '" + key("min") + "' is greater than '" +
                                       key("max") + "'");
        }
        break;
      }
      case TypeId::kDecimal: {
        allowed.insert(allowed.end(), {"min", "max"});
        f->max_decimal = MaxUnscaled(field.type.precision);
        f->min_decimal = -f->max_decimal;
        SLUICE_RETURN_IF_ERROR(ParseDecimalOption(reader, key("min"), field.type, &f->min_decimal));
        SLUICE_RETURN_IF_ERROR(ParseDecimalOption(reader, key("max"), field.type, &f->max_decimal));
        if (f->min_decimal > f->max_decimal) {
          return Status::InvalidOption("option '" + key("min") + "' is greater than '" +
                                       key("max") + "'");
        }
        break;
      }
      case TypeId::kVarchar: {
        allowed.insert(allowed.end(), {"length", "var-len"});
        SLUICE_ASSIGN_OR_RETURN(f->length, reader.Int(key("length"), 100, 0, 1 << 24));
        SLUICE_ASSIGN_OR_RETURN(f->var_len, reader.Bool(key("var-len"), false));
        break;
      }
      case TypeId::kTimestamp:
      case TypeId::kTimestampLtz:
      case TypeId::kDate:
        allowed.push_back("max-past");
        if (reader.Has(key("max-past"))) {
          SLUICE_ASSIGN_OR_RETURN(f->max_past_micros,
                                  ParseDuration(reader.String(key("max-past"), "")));
          if (f->max_past_micros < 0) {
            return Status::InvalidOption("option '" + key("max-past") + "' must not be negative");
          }
        }
        break;
      case TypeId::kBoolean:
      case TypeId::kInterval:
      case TypeId::kNull:
        break;
    }
  }
  for (const char* name : {"min", "max", "max-past", "length", "var-len", "start", "end"}) {
    if (reader.Has(key(name)) && std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return Status::InvalidOption("option '" + key(name) + "' does not apply to " + kind +
                                   " field '" + field.name + "' of type " + field.type.ToString());
    }
  }
  return Status::OK();
}

}  // namespace

Result<DatagenConfig> ParseDatagenConfig(const Schema& physical_schema, const Options& options) {
  OptionReader reader(options);
  DatagenConfig config;
  SLUICE_ASSIGN_OR_RETURN(config.rows_per_second, ParseRowsPerSecond(options, 10000));
  if (reader.Has("number-of-rows")) {
    SLUICE_ASSIGN_OR_RETURN(int64_t rows, reader.Int("number-of-rows", 0, 0));
    config.number_of_rows = rows;
  }
  SLUICE_ASSIGN_OR_RETURN(int64_t seed, reader.Int("sluice.seed", 0));
  config.seed = static_cast<uint64_t>(seed);
  for (const Field& field : physical_schema.fields) {
    DatagenFieldConfig f;
    SLUICE_RETURN_IF_ERROR(ParseField(field, reader, &f));
    config.fields.push_back(std::move(f));
  }
  return config;
}

}  // namespace sluice
