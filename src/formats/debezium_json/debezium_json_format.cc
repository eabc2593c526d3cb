#include "formats/debezium_json/debezium_json_format.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "formats/json/json_decoder.h"
#include "formats/json/json_encoder.h"
#include "formats/option_reader.h"
#include "formats/scalar_text.h"

namespace sluice {

namespace {

namespace od = simdjson::ondemand;

struct DebeziumOptions {
  bool schema_include = false;
  bool ignore_parse_errors = false;
  JsonOptions json;  // for 'before' / 'after'
};

std::string ToUpper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

Result<DebeziumOptions> ParseDebeziumOptions(const Options& options) {
  OptionReader reader(options);
  DebeziumOptions out;
  SLUICE_ASSIGN_OR_RETURN(out.schema_include, reader.Bool("debezium-json.schema-include", false));
  SLUICE_ASSIGN_OR_RETURN(out.ignore_parse_errors,
                          reader.Bool("debezium-json.ignore-parse-errors", false));
  SLUICE_ASSIGN_OR_RETURN(out.json.ignore_null_fields,
                          reader.Bool("debezium-json.encode.ignore-null-fields", false));
  SLUICE_ASSIGN_OR_RETURN(bool plain_decimals,
                          reader.Bool("debezium-json.encode.decimal-as-plain-number", false));
  (void)plain_decimals;  // validated only: decimals are always plain
  std::string standard = reader.String("debezium-json.timestamp-format.standard", "SQL");
  if (standard == "ISO-8601") {
    out.json.iso8601 = true;
  } else if (standard != "SQL") {
    return Status::InvalidOption(
        "option 'debezium-json.timestamp-format.standard' expects 'SQL' or 'ISO-8601', got '" +
        standard + "'");
  }
  std::string mode = ToUpper(reader.String("debezium-json.map-null-key.mode", "FAIL"));
  if (mode != "FAIL" && mode != "DROP" && mode != "LITERAL") {
    return Status::InvalidOption(
        "option 'debezium-json.map-null-key.mode' expects 'FAIL', 'DROP' or 'LITERAL', got '" +
        reader.String("debezium-json.map-null-key.mode", "") + "'");
  }
  // The inner json decoder never stops: this decoder decides per message (see Decode()).
  out.json.ignore_parse_errors = true;
  return out;
}

bool IsJsonSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsJsonSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), IsJsonSpace);
}

class DebeziumJsonDecoder final : public RecordDecoder {
 public:
  DebeziumJsonDecoder(const Schema& schema, DebeziumOptions options,
                      std::unique_ptr<RecordDecoder> rows)
      : schema_(schema), options_(options), rows_(std::move(rows)) {}

  const Schema& schema() const override { return schema_; }

  size_t SplitRecords(std::string_view data, bool at_end, size_t max_records,
                      std::vector<std::string_view>* records) const override {
    return rows_->SplitRecords(data, at_end, max_records, records);  // JSON lines
  }

  Status Decode(const RecordInput& input, Batch* out, DecodeResult* result) override;

 private:
  enum class Envelope { kRows, kTombstone, kBad };

  // The part of a message that becomes a row: its JSON object text (a view into the input).
  struct Part {
    std::string_view json;
    size_t message;
    RowKind kind;
  };
  struct Failure {
    size_t message;
    std::string reason;
  };

  // Parses message `index`; adds its parts, or sets reason_.
  Envelope ParseEnvelope(const RecordInput& input, size_t index);
  // Reads the fields of an envelope object (the message, or its "payload").
  bool ReadEnvelopeFields(od::object& object, bool top_level);
  // An object or null field value: its text mapped back into the input, or empty for null.
  bool ReadRowField(od::field& field, std::string_view name, std::string_view* out, bool* seen);
  bool Fail(std::string reason) {
    reason_ = std::move(reason);
    return false;
  }
  Envelope Bad(std::string reason) {
    reason_ = std::move(reason);
    return Envelope::kBad;
  }
  bool Malformed(simdjson::error_code error) {
    return Fail(std::string("malformed JSON: ") + simdjson::error_message(error));
  }

  Schema schema_;
  DebeziumOptions options_;
  std::unique_ptr<RecordDecoder> rows_;  // the json format's decoder, for 'before' / 'after'
  od::parser parser_;
  std::vector<char> scratch_;
  ptrdiff_t input_delta_ = 0;  // add to a pointer into the parsed buffer to reach the input

  // Per message.
  std::string_view before_, after_;
  bool has_before_ = false, has_after_ = false, has_op_ = false, has_payload_ = false;
  std::string op_text_;
  std::string reason_;

  // Per Decode() call.
  std::vector<Part> parts_;
  std::vector<std::string_view> part_views_;
  std::vector<Failure> failures_;
  std::vector<uint8_t> failed_;  // per message of the call
};

bool DebeziumJsonDecoder::ReadRowField(od::field& field, std::string_view name,
                                       std::string_view* out, bool* seen) {
  od::value value = field.value();
  od::json_type type;
  simdjson::error_code error = value.type().get(type);
  if (error) return Malformed(error);
  if (type == od::json_type::null) {
    bool is_null = false;
    if ((error = value.is_null().get(is_null))) return Malformed(error);
    if (!is_null) return Fail("malformed JSON: bad literal for '" + std::string(name) + "'");
    *out = {};
    *seen = false;
    return true;
  }
  if (type != od::json_type::object) {
    return Fail("the '" + std::string(name) + "' field must be an object or null, got " +
                (type == od::json_type::array ? std::string("an array")
                                              : Snippet(TrimRight(value.raw_json_token()))));
  }
  od::object object;
  std::string_view text;
  if ((error = value.get_object().get(object)) || (error = object.raw_json().get(text))) {
    return Malformed(error);
  }
  text = TrimRight(text);
  *out = std::string_view(text.data() + input_delta_, text.size());
  *seen = true;
  return true;
}

bool DebeziumJsonDecoder::ReadEnvelopeFields(od::object& object, bool top_level) {
  simdjson::error_code error;
  for (auto field_result : object) {
    od::field field;
    if ((error = std::move(field_result).get(field))) return Malformed(error);
    std::string_view key;
    if ((error = field.unescaped_key().get(key))) return Malformed(error);
    if (key == "before") {
      if (!ReadRowField(field, "before", &before_, &has_before_)) return false;
    } else if (key == "after") {
      if (!ReadRowField(field, "after", &after_, &has_after_)) return false;
    } else if (key == "op") {
      std::string_view op;
      od::value value = field.value();
      od::json_type type;
      if ((error = value.type().get(type))) return Malformed(error);
      if (type == od::json_type::null) {
        has_op_ = false;
        continue;
      }
      if (type != od::json_type::string || value.get_string().get(op)) {
        return Fail("the 'op' field must be a string, got " +
                    Snippet(TrimRight(value.raw_json_token())));
      }
      has_op_ = true;
      op_text_.assign(op);
    } else if (key == "payload" && top_level) {
      has_payload_ = true;
      if (!options_.schema_include) continue;
      od::value value = field.value();
      od::object payload;
      error = value.get_object().get(payload);
      if (error == simdjson::INCORRECT_TYPE) {
        return Fail("the 'payload' field must be an object, got " +
                    Snippet(TrimRight(value.raw_json_token())));
      }
      if (error) return Malformed(error);
      if (!ReadEnvelopeFields(payload, /*top_level=*/false)) return false;
    }
  }
  return true;
}

DebeziumJsonDecoder::Envelope DebeziumJsonDecoder::ParseEnvelope(const RecordInput& input,
                                                                 size_t index) {
  std::string_view record = input.records[index];
  if (record.data() == nullptr || IsBlank(record)) return Envelope::kTombstone;
  const char* buffer = record.data();
  if (input.padded) {
    input_delta_ = 0;
  } else {
    if (scratch_.size() < record.size() + kRecordPadding) {
      scratch_.resize(record.size() + kRecordPadding);
    }
    std::memcpy(scratch_.data(), record.data(), record.size());
    buffer = scratch_.data();
    input_delta_ = record.data() - buffer;
  }
  has_before_ = has_after_ = has_op_ = has_payload_ = false;
  before_ = after_ = {};
  od::document doc;
  simdjson::error_code error =
      parser_.iterate(buffer, record.size(), record.size() + kRecordPadding).get(doc);
  if (error) {
    Malformed(error);
    return Envelope::kBad;
  }
  od::object object;
  error = doc.get_object().get(object);
  if (error == simdjson::INCORRECT_TYPE) return Bad("malformed JSON: expected an object");
  if (error) {
    Malformed(error);
    return Envelope::kBad;
  }
  if (!ReadEnvelopeFields(object, /*top_level=*/true)) return Envelope::kBad;
  const char* trailing = nullptr;
  if (doc.current_location().get(trailing) == simdjson::SUCCESS) {
    return Bad("malformed JSON: unexpected content after the object");
  }
  if (options_.schema_include && !has_payload_) {
    return Bad("no 'payload' field, but 'debezium-json.schema-include' is true");
  }
  if (!has_op_) {
    if (has_payload_ && !options_.schema_include) {
      return Bad(
          "no 'op' field: the message has a 'payload' wrapper; set "
          "'debezium-json.schema-include' = 'true'");
    }
    return Bad("no 'op' field: not a Debezium change event");
  }
  auto missing = [&](std::string_view name, std::string_view what) {
    std::string reason = "the '" + std::string(name) + "' field of " + std::string(what) +
                         " message is null or missing";
    if (name == "before") {
      // Flink's hint: Postgres only sends the old row with REPLICA IDENTITY FULL.
      reason +=
          "; with Debezium's Postgres connector, set the table's REPLICA IDENTITY to FULL so "
          "that updates and deletes carry the old row";
    }
    return Bad(std::move(reason));
  };
  if (op_text_ == "c" || op_text_ == "r") {
    if (!has_after_) return missing("after", op_text_ == "c" ? "a create ('c')" : "a read ('r')");
    parts_.push_back({after_, index, RowKind::kInsert});
  } else if (op_text_ == "u") {
    if (!has_before_) return missing("before", "an update ('u')");
    if (!has_after_) return missing("after", "an update ('u')");
    parts_.push_back({before_, index, RowKind::kUpdateBefore});
    parts_.push_back({after_, index, RowKind::kUpdateAfter});
  } else if (op_text_ == "d") {
    if (!has_before_) return missing("before", "a delete ('d')");
    parts_.push_back({before_, index, RowKind::kDelete});
  } else {
    return Bad("unknown 'op' value \"" + Snippet(op_text_) + "\" (expected 'c', 'r', 'u' or 'd')");
  }
  return Envelope::kRows;
}

Status DebeziumJsonDecoder::Decode(const RecordInput& input, Batch* out, DecodeResult* result) {
  *result = DecodeResult();
  if (out->num_columns() == 0) *out = Batch::Empty(schema_);
  const size_t base = out->num_rows();
  const size_t count = input.records.size();
  parts_.clear();
  failures_.clear();
  for (size_t r = 0; r < count; ++r) {
    if (ParseEnvelope(input, r) != Envelope::kBad) continue;
    failures_.push_back({r, std::move(reason_)});
    if (!options_.ignore_parse_errors) break;  // nothing after it is needed
  }

  // Every row part of every message, decoded in one call; the json decoder skips (and reports)
  // the parts that do not decode.
  part_views_.clear();
  for (const Part& part : parts_) part_views_.push_back(part.json);
  DecodeResult rows;
  SLUICE_RETURN_IF_ERROR(
      rows_->Decode(RecordInput{part_views_, input.owner, input.padded}, out, &rows));
  for (const RecordError& error : rows.skipped) {
    const Part& part = parts_[error.record];
    const char* name =
        part.kind == RowKind::kInsert || part.kind == RowKind::kUpdateAfter ? "after" : "before";
    failures_.push_back({part.message, std::string(name) + ": " + error.reason});
  }
  std::stable_sort(failures_.begin(), failures_.end(),
                   [](const Failure& a, const Failure& b) { return a.message < b.message; });

  // Row kinds of the decoded parts (the batch's earlier rows keep theirs, +I when it had none).
  std::vector<RowKind> kinds = out->row_kinds();
  kinds.resize(base, RowKind::kInsert);
  size_t next_skipped = 0;
  std::vector<size_t> part_row(parts_.size(), SIZE_MAX);  // batch row of each decoded part
  for (size_t p = 0; p < parts_.size(); ++p) {
    if (next_skipped < rows.skipped.size() && rows.skipped[next_skipped].record == p) {
      ++next_skipped;
      continue;
    }
    part_row[p] = kinds.size();
    kinds.push_back(parts_[p].kind);
  }
  out->set_row_kinds(std::move(kinds));

  // Drop the rows of failed messages (the good half of an update whose other half failed) and,
  // when stopping at the first failure, every row after it.
  const size_t stop =
      !options_.ignore_parse_errors && !failures_.empty() ? failures_[0].message : count;
  failed_.assign(count, 0);
  for (const Failure& failure : failures_) failed_[failure.message] = 1;
  auto dropped = [&](const Part& part) { return part.message >= stop || failed_[part.message]; };
  bool drop = false;
  for (size_t p = 0; p < parts_.size() && !drop; ++p) {
    drop = part_row[p] != SIZE_MAX && dropped(parts_[p]);
  }
  if (drop) {
    std::vector<uint32_t> keep;
    for (size_t row = 0; row < base; ++row) keep.push_back(static_cast<uint32_t>(row));
    for (size_t p = 0; p < parts_.size(); ++p) {
      if (part_row[p] != SIZE_MAX && !dropped(parts_[p])) {
        keep.push_back(static_cast<uint32_t>(part_row[p]));
      }
    }
    *out = out->Gather(keep.data(), keep.size());
  }
  result->rows = out->num_rows() - base;
  if (!options_.ignore_parse_errors && !failures_.empty()) {
    result->consumed = stop;
    return Status::DecodeError(std::move(failures_[0].reason));
  }
  result->consumed = count;
  // One entry per failed message (its first reason), in input order.
  for (Failure& failure : failures_) {
    if (!result->skipped.empty() && result->skipped.back().record == failure.message) continue;
    result->skipped.push_back({failure.message, std::move(failure.reason)});
  }
  return Status::OK();
}

class DebeziumJsonEncoder final : public RecordEncoder {
 public:
  explicit DebeziumJsonEncoder(std::unique_ptr<RecordEncoder> rows) : rows_(std::move(rows)) {}

  Status Encode(const Batch& batch, size_t begin, size_t end, std::string* out,
                std::vector<size_t>* row_ends) override {
    text_.clear();
    ends_.clear();
    SLUICE_RETURN_IF_ERROR(rows_->Encode(batch, begin, end, &text_, &ends_));
    size_t start = 0;
    for (size_t row = begin; row < end; ++row) {
      const size_t stop = ends_[row - begin];
      std::string_view json(text_.data() + start, stop - start);
      start = stop;
      if (!json.empty() && json.back() == '\n') json.remove_suffix(1);
      if (IsAccumulate(batch.row_kind(row))) {
        out->append("{\"before\":null,\"after\":");
        out->append(json);
        out->append(",\"op\":\"c\"}");
      } else {
        out->append("{\"before\":");
        out->append(json);
        out->append(",\"after\":null,\"op\":\"d\"}");
      }
      if (row_ends) row_ends->push_back(out->size());
    }
    return Status::OK();
  }

 private:
  std::unique_ptr<RecordEncoder> rows_;  // the json format's encoder
  std::string text_;
  std::vector<size_t> ends_;
};

Result<std::unique_ptr<RecordDecoder>> MakeDebeziumJsonDecoder(const Schema& schema,
                                                               const Options& options) {
  SLUICE_ASSIGN_OR_RETURN(DebeziumOptions debezium, ParseDebeziumOptions(options));
  auto rows = MakeJsonRecordDecoder(schema, debezium.json);
  if (!rows.ok()) return Status(rows.status()).WithContext("debezium-json");
  return std::unique_ptr<RecordDecoder>(
      std::make_unique<DebeziumJsonDecoder>(schema, debezium, std::move(rows).value()));
}

Result<std::unique_ptr<RecordEncoder>> MakeDebeziumJsonEncoder(const Schema& schema,
                                                               const Options& options) {
  SLUICE_ASSIGN_OR_RETURN(DebeziumOptions debezium, ParseDebeziumOptions(options));
  if (debezium.schema_include) {
    // As Flink: the schema wrapper is read, never written.
    return Status::Unsupported(
        "the debezium-json format cannot write with 'debezium-json.schema-include' = 'true'");
  }
  auto rows = MakeJsonRecordEncoder(schema, debezium.json);
  if (!rows.ok()) return Status(rows.status()).WithContext("debezium-json");
  return std::unique_ptr<RecordEncoder>(
      std::make_unique<DebeziumJsonEncoder>(std::move(rows).value()));
}

}  // namespace

const FormatSpec kDebeziumJsonFormat = {
    .name = "debezium-json",
    .file_extension = "json",
    .options =
        {
            {"debezium-json.schema-include", "false",
             "Messages carry Kafka Connect's schema/payload wrapper."},
            {"debezium-json.ignore-parse-errors", "false", "Skip messages that cannot be decoded."},
            {"debezium-json.timestamp-format.standard", "SQL",
             "'SQL' or 'ISO-8601' timestamp text."},
            {"debezium-json.map-null-key.mode", "FAIL", "Accepted (no MAP type)."},
            {"debezium-json.map-null-key.literal", "null", "Accepted (no MAP type)."},
            {"debezium-json.encode.decimal-as-plain-number", "false",
             "Accepted; decimals are always written as plain numbers."},
            {"debezium-json.encode.ignore-null-fields", "false",
             "Leave NULL fields out when writing."},
        },
    .framed_by_transport = true,
    .produces_changelog = true,
    .make_decoder = MakeDebeziumJsonDecoder,
    .make_encoder = MakeDebeziumJsonEncoder,
};

}  // namespace sluice
