#include "formats/json/json_decoder.h"

#include <simdjson.h>

#include <cstring>

#include "columnar/hash.h"
#include "formats/scalar_text.h"
#include "types/time_format.h"

namespace sluice {

namespace {

namespace od = simdjson::ondemand;
static_assert(kRecordPadding >= simdjson::SIMDJSON_PADDING);

bool IsJsonSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsJsonSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

class JsonRecordDecoder final : public RecordDecoder {
 public:
  JsonRecordDecoder(const Schema& schema, const JsonOptions& options);

  const Schema& schema() const override { return schema_; }
  size_t SplitRecords(std::string_view data, bool at_end, size_t max_records,
                      std::vector<std::string_view>* records) const override;
  Status Decode(const RecordInput& input, Batch* out, DecodeResult* result) override;

 private:
  struct Slot {
    std::string name;
    LogicalType type;
    Column* column = nullptr;
    uint8_t* data = nullptr;      // the column's value buffer for this Decode call
    uint32_t seen = 0;            // serial of the last record that set this column
    bool raw_comparable = false;  // name has no '"' or '\\': raw keys can be compared bytewise
    bool used_input_views = false;
  };

  template <typename T>
  void Put(Slot& slot, size_t row, T value) {
    reinterpret_cast<T*>(slot.data)[row] = value;
  }
  int FindSlot(std::string_view key) const;
  bool DecodeRecord(std::string_view record, const RecordInput& input, size_t row);
  bool DecodeField(Slot& slot, od::value& value, size_t row);
  bool DecodeString(Slot& slot, od::value& value, od::json_type type, size_t row);
  // The string value's text without quotes; unescaped (into the parser's buffer) when needed.
  bool StringContent(od::value& value, std::string_view* content, bool* from_input);
  bool TypeMismatch(const Slot& slot, od::value& value, od::json_type type,
                    std::string_view expected);
  bool Malformed(simdjson::error_code error);
  bool Fail(std::string reason) {
    reason_ = std::move(reason);
    return false;
  }

  Schema schema_;
  JsonOptions options_;
  std::vector<Slot> slots_;
  std::vector<int16_t> index_;  // open addressing: name hash -> slot, -1 empty
  size_t index_mask_ = 0;
  od::parser parser_;
  std::vector<char> scratch_;  // padded copy of an unpadded record
  const char* record_begin_ = nullptr;
  const char* record_end_ = nullptr;
  ptrdiff_t input_delta_ = 0;  // add to a pointer into the parsed buffer to reach the input
  bool allow_views_ = false;
  uint32_t serial_ = 0;
  std::string reason_;
};

JsonRecordDecoder::JsonRecordDecoder(const Schema& schema, const JsonOptions& options)
    : schema_(schema), options_(options) {
  slots_.resize(schema.size());
  for (size_t i = 0; i < schema.size(); ++i) {
    slots_[i].name = schema[i].name;
    slots_[i].type = schema[i].type;
    slots_[i].raw_comparable = slots_[i].name.find_first_of("\"\\") == std::string::npos;
  }
  size_t size = 4;
  while (size < slots_.size() * 2) size *= 2;
  index_.assign(size, -1);
  index_mask_ = size - 1;
  for (size_t i = 0; i < slots_.size(); ++i) {
    size_t h = HashBytes(slots_[i].name.data(), slots_[i].name.size()) & index_mask_;
    while (index_[h] >= 0) h = (h + 1) & index_mask_;
    index_[h] = static_cast<int16_t>(i);
  }
}

int JsonRecordDecoder::FindSlot(std::string_view key) const {
  size_t h = HashBytes(key.data(), key.size()) & index_mask_;
  while (index_[h] >= 0) {
    if (slots_[index_[h]].name == key) return index_[h];
    h = (h + 1) & index_mask_;
  }
  return -1;
}

size_t JsonRecordDecoder::SplitRecords(std::string_view data, bool at_end, size_t max_records,
                                       std::vector<std::string_view>* records) const {
  size_t pos = 0;
  size_t added = 0;
  while (added < max_records && pos < data.size()) {
    const void* nl = std::memchr(data.data() + pos, '\n', data.size() - pos);
    size_t end;
    size_t next;
    if (nl) {
      end = static_cast<const char*>(nl) - data.data();
      next = end + 1;
    } else if (at_end) {
      end = next = data.size();
    } else {
      break;
    }
    std::string_view line = data.substr(pos, end - pos);
    pos = next;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t first = 0;
    while (first < line.size() && IsJsonSpace(line[first])) ++first;
    if (first == line.size()) continue;  // blank lines carry no record
    records->push_back(line);
    ++added;
  }
  return pos;
}

Status JsonRecordDecoder::Decode(const RecordInput& input, Batch* out, DecodeResult* result) {
  *result = DecodeResult();
  if (out->num_columns() == 0) *out = Batch::Empty(schema_);
  if (out->num_columns() != slots_.size()) {
    return Status::Internal("json decoder: batch has " + std::to_string(out->num_columns()) +
                            " columns, schema has " + std::to_string(slots_.size()));
  }
  const size_t base = out->num_rows();
  const size_t count = input.records.size();
  for (size_t i = 0; i < slots_.size(); ++i) {
    Slot& slot = slots_[i];
    slot.column = out->mutable_column(i).get();
    slot.column->Resize(base + count);
    slot.data = slot.column->data<uint8_t>();
    slot.used_input_views = false;
  }
  allow_views_ = input.owner != nullptr;
  size_t row = base;
  Status status;
  for (size_t r = 0; r < count; ++r) {
    if (DecodeRecord(input.records[r], input, row)) {
      ++row;
      continue;
    }
    // The row slot is reused by the next record: undo NULL marks the failed one left.
    for (Slot& slot : slots_) slot.column->SetNull(row, false);
    if (options_.ignore_parse_errors) {
      result->skipped.push_back({r, std::move(reason_)});
      continue;
    }
    result->consumed = r;
    status = Status::DecodeError(std::move(reason_));
    break;
  }
  if (status.ok()) result->consumed = count;
  for (Slot& slot : slots_) {
    slot.column->Resize(row);
    if (slot.used_input_views) slot.column->KeepAlive(input.owner);
  }
  out->set_num_rows(row);
  result->rows = row - base;
  return status;
}

bool JsonRecordDecoder::Malformed(simdjson::error_code error) {
  return Fail(std::string("malformed JSON: ") + simdjson::error_message(error));
}

bool JsonRecordDecoder::DecodeRecord(std::string_view record, const RecordInput& input,
                                     size_t row) {
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
  record_begin_ = buffer;
  record_end_ = buffer + record.size();
  od::document doc;
  simdjson::error_code error =
      parser_.iterate(buffer, record.size(), record.size() + kRecordPadding).get(doc);
  if (error) return Malformed(error);
  od::object object;
  error = doc.get_object().get(object);
  if (error == simdjson::INCORRECT_TYPE) return Fail("malformed JSON: expected an object");
  if (error) return Malformed(error);
  const uint32_t serial = ++serial_;
  size_t expected = 0;  // fields usually come in schema order: try that slot first
  for (auto field_result : object) {
    od::field field;
    if ((error = std::move(field_result).get(field))) return Malformed(error);
    int slot_index = -1;
    if (expected < slots_.size()) {
      const Slot& guess = slots_[expected];
      const char* key = field.key().raw();
      if (guess.raw_comparable && key + guess.name.size() < record_end_ &&
          field.key().unsafe_is_equal(guess.name)) {
        slot_index = static_cast<int>(expected);
      }
    }
    if (slot_index < 0) {
      std::string_view key;
      if ((error = field.unescaped_key().get(key))) return Malformed(error);
      slot_index = FindSlot(key);
      if (slot_index < 0) continue;  // fields the table does not declare are ignored
    }
    Slot& slot = slots_[slot_index];
    if (!DecodeField(slot, field.value(), row)) return false;
    slot.seen = serial;
    expected = static_cast<size_t>(slot_index) + 1;
  }
  const char* trailing = nullptr;
  if (doc.current_location().get(trailing) == simdjson::SUCCESS) {
    return Fail("malformed JSON: unexpected content after the object");
  }
  for (Slot& slot : slots_) {
    if (slot.seen == serial) continue;
    if (options_.fail_on_missing_field) return Fail("missing field '" + slot.name + "'");
    slot.column->SetNull(row, true);
  }
  return true;
}

bool JsonRecordDecoder::StringContent(od::value& value, std::string_view* content,
                                      bool* from_input) {
  std::string_view token = TrimRight(value.raw_json_token());
  std::string_view raw = token.substr(1, token.size() - 2);
  if (std::memchr(raw.data(), '\\', raw.size()) == nullptr) {
    *content = raw;
    *from_input = true;
    return true;
  }
  simdjson::error_code error = value.get_string().get(*content);
  if (error) return Malformed(error);
  *from_input = false;
  return true;
}

bool JsonRecordDecoder::TypeMismatch(const Slot& slot, od::value& value, od::json_type type,
                                     std::string_view expected) {
  std::string got;
  if (type == od::json_type::object) {
    got = "an object";
  } else if (type == od::json_type::array) {
    got = "an array";
  } else {
    got = Snippet(TrimRight(value.raw_json_token()));
  }
  return Fail("expected " + std::string(expected) + " for column '" + slot.name + "', got " + got);
}

bool JsonRecordDecoder::DecodeString(Slot& slot, od::value& value, od::json_type type, size_t row) {
  std::string_view text;
  bool from_input = true;
  simdjson::error_code error;
  if (type == od::json_type::string) {
    if (!StringContent(value, &text, &from_input)) return false;
  } else if (type == od::json_type::object) {
    od::object object;
    if ((error = value.get_object().get(object)) || (error = object.raw_json().get(text))) {
      return Malformed(error);
    }
    text = TrimRight(text);
  } else if (type == od::json_type::array) {
    od::array array;
    if ((error = value.get_array().get(array)) || (error = array.raw_json().get(text))) {
      return Malformed(error);
    }
    text = TrimRight(text);
  } else {
    // Numbers and booleans keep their JSON text, as Flink's asText().
    text = TrimRight(value.raw_json_token());
  }
  auto* views = reinterpret_cast<std::string_view*>(slot.data);
  if (from_input && allow_views_) {
    views[row] = std::string_view(text.data() + input_delta_, text.size());
    slot.used_input_views = true;
  } else {
    views[row] = slot.column->heap().Add(text);
  }
  return true;
}

bool JsonRecordDecoder::DecodeField(Slot& slot, od::value& value, size_t row) {
  od::json_type type;
  simdjson::error_code error = value.type().get(type);
  if (error) return Malformed(error);
  if (type == od::json_type::null) {
    bool is_null = false;
    if ((error = value.is_null().get(is_null))) return Malformed(error);
    if (!is_null) return Fail("malformed JSON: bad literal for column '" + slot.name + "'");
    slot.column->SetNull(row, true);
    return true;
  }
  if (slot.column->HasNulls()) slot.column->SetNull(row, false);  // a duplicate key may follow null

  std::string_view text;  // number token or string content
  bool from_input = true;
  const bool is_number = type == od::json_type::number;
  const bool is_string = type == od::json_type::string;
  switch (slot.type.id) {
    case TypeId::kVarchar:
      return DecodeString(slot, value, type, row);

    case TypeId::kInt:
    case TypeId::kBigint: {
      if (is_number) {
        text = TrimRight(value.raw_json_token());
      } else if (is_string) {
        if (!StringContent(value, &text, &from_input)) return false;
        text = TrimSpaces(text);
      } else {
        return TypeMismatch(slot, value, type, "a number");
      }
      int64_t v = 0;
      TextParse parsed = ParseInt64Text(text, &v);
      if (parsed == TextParse::kOk && slot.type.id == TypeId::kInt &&
          (v < INT32_MIN || v > INT32_MAX)) {
        parsed = TextParse::kOverflow;
      }
      switch (parsed) {
        case TextParse::kOk:
          break;
        case TextParse::kNotIntegral:
          return TypeMismatch(slot, value, type, "an integer");
        case TextParse::kOverflow:
          return Fail("value " + Snippet(text) + " is out of range for column '" + slot.name +
                      "' of type " + slot.type.ToString());
        case TextParse::kSyntax:
          return TypeMismatch(slot, value, type, "a number");
      }
      if (slot.type.id == TypeId::kInt) {
        Put<int32_t>(slot, row, static_cast<int32_t>(v));
      } else {
        Put<int64_t>(slot, row, v);
      }
      return true;
    }

    case TypeId::kDouble: {
      double v = 0;
      if (is_number) {
        if (value.get_double().get(v)) return TypeMismatch(slot, value, type, "a number");
      } else if (is_string) {
        if (!StringContent(value, &text, &from_input)) return false;
        if (!ParseDoubleText(TrimSpaces(text), &v)) {
          return TypeMismatch(slot, value, type, "a number");
        }
      } else {
        return TypeMismatch(slot, value, type, "a number");
      }
      Put<double>(slot, row, v);
      return true;
    }

    case TypeId::kDecimal: {
      if (is_number) {
        text = TrimRight(value.raw_json_token());
      } else if (is_string) {
        if (!StringContent(value, &text, &from_input)) return false;
        text = TrimSpaces(text);
      } else {
        return TypeMismatch(slot, value, type, "a number");
      }
      int128_t v = 0;
      switch (ParseDecimalText(text, slot.type.precision, slot.type.scale, &v)) {
        case TextParse::kOk:
        case TextParse::kNotIntegral:
          break;
        case TextParse::kOverflow:
          return Fail("value " + Snippet(text) + " does not fit " + slot.type.ToString() +
                      " for column '" + slot.name + "'");
        case TextParse::kSyntax:
          return TypeMismatch(slot, value, type, "a number");
      }
      Put<int128_t>(slot, row, v);
      return true;
    }

    case TypeId::kBoolean: {
      bool v = false;
      if (type == od::json_type::boolean) {
        if ((error = value.get_bool().get(v))) return Malformed(error);
      } else if (is_string) {
        if (!StringContent(value, &text, &from_input)) return false;
        if (!ParseBooleanText(TrimSpaces(text), &v)) {
          return TypeMismatch(slot, value, type, "a boolean");
        }
      } else {
        return TypeMismatch(slot, value, type, "a boolean");
      }
      Put<uint8_t>(slot, row, v ? 1 : 0);
      return true;
    }

    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: {
      if (is_number) {
        std::string_view token = TrimRight(value.raw_json_token());
        return Fail("expected a timestamp string for column '" + slot.name + "', got the number " +
                    Snippet(token) +
                    " (for epoch values declare the column BIGINT and use "
                    "TO_TIMESTAMP_LTZ(column, 3))");
      }
      if (!is_string) return TypeMismatch(slot, value, type, "a timestamp string");
      if (!StringContent(value, &text, &from_input)) return false;
      std::optional<int64_t> micros = ParseTimestamp(text);
      if (!micros) {
        return Fail("expected a timestamp like '2024-01-01 00:00:05.000' for column '" + slot.name +
                    "', got \"" + Snippet(text) + "\"");
      }
      Put<int64_t>(slot, row, *micros);
      return true;
    }

    case TypeId::kDate: {
      if (!is_string) return TypeMismatch(slot, value, type, "a date string 'yyyy-MM-dd'");
      if (!StringContent(value, &text, &from_input)) return false;
      std::optional<int32_t> days = ParseDate(text);
      if (!days) {
        return Fail("expected a date 'yyyy-MM-dd' for column '" + slot.name + "', got \"" +
                    Snippet(text) + "\"");
      }
      Put<int32_t>(slot, row, *days);
      return true;
    }

    case TypeId::kNull:
    case TypeId::kInterval:
      break;
  }
  return Fail("column '" + slot.name + "' has a type the json format cannot read");
}

}  // namespace

Result<std::unique_ptr<RecordDecoder>> MakeJsonRecordDecoder(const Schema& schema,
                                                             const JsonOptions& options) {
  for (const Field& field : schema.fields) {
    if (field.type.id == TypeId::kInterval || field.type.id == TypeId::kNull) {
      return Status::Unsupported("the json format cannot read column '" + field.name +
                                 "' of type " + field.type.ToString());
    }
  }
  if (schema.size() > INT16_MAX) return Status::Unsupported("json format: too many columns");
  return std::unique_ptr<RecordDecoder>(std::make_unique<JsonRecordDecoder>(schema, options));
}

}  // namespace sluice
