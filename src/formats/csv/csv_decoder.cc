#include "formats/csv/csv_decoder.h"

#include <cstring>
#include <deque>

#include "formats/scalar_text.h"
#include "types/time_format.h"

namespace sluice {

namespace {

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

class CsvRecordDecoder final : public RecordDecoder {
 public:
  CsvRecordDecoder(const Schema& schema, const CsvOptions& options)
      : schema_(schema), options_(options) {}

  const Schema& schema() const override { return schema_; }
  size_t SplitRecords(std::string_view data, bool at_end, size_t max_records,
                      std::vector<std::string_view>* records) const override;
  Status Decode(const RecordInput& input, Batch* out, DecodeResult* result) override;

 private:
  struct FieldText {
    std::string_view text;
    bool quoted = false;
    bool from_input = true;  // false: unescaped into unescaped_
  };

  // Finds the end of the record starting at `pos` (index of its '\n', or npos).
  size_t FindRecordEnd(std::string_view data, size_t pos) const;
  bool SplitFields(std::string_view record);
  bool DecodeRecord(std::string_view record, size_t row);
  bool Convert(size_t column, const FieldText& field, size_t row);
  bool Fail(std::string reason) {
    reason_ = std::move(reason);
    return false;
  }

  Schema schema_;
  CsvOptions options_;
  std::vector<FieldText> fields_;
  std::deque<std::string> unescaped_;  // text of fields that had escapes (stable addresses)
  std::vector<Column*> columns_;
  std::vector<bool> used_input_views_;
  bool allow_views_ = false;
  std::string reason_;
};

size_t CsvRecordDecoder::FindRecordEnd(std::string_view data, size_t pos) const {
  const void* nl = std::memchr(data.data() + pos, '\n', data.size() - pos);
  size_t line_end = nl ? static_cast<const char*>(nl) - data.data() : std::string_view::npos;
  size_t scan_end = nl ? line_end : data.size();
  // Fast path: no quote or escape on the line, so the newline ends the record.
  bool plain = true;
  for (size_t i = pos; i < scan_end; ++i) {
    char c = data[i];
    if ((options_.quoting && c == options_.quote) || (options_.escape && c == *options_.escape)) {
      plain = false;
      break;
    }
  }
  if (plain) return line_end;
  bool in_quotes = false;
  for (size_t i = pos; i < data.size(); ++i) {
    char c = data[i];
    if (options_.escape && c == *options_.escape) {
      ++i;  // the next character is literal, even a newline
    } else if (options_.quoting && c == options_.quote) {
      in_quotes = !in_quotes;  // a doubled quote flips twice
    } else if (c == '\n' && !in_quotes) {
      return i;
    }
  }
  return std::string_view::npos;
}

size_t CsvRecordDecoder::SplitRecords(std::string_view data, bool at_end, size_t max_records,
                                      std::vector<std::string_view>* records) const {
  size_t pos = 0;
  size_t added = 0;
  while (added < max_records && pos < data.size()) {
    size_t end;
    size_t next;
    if (options_.allow_comments && data[pos] == '#') {
      const void* nl = std::memchr(data.data() + pos, '\n', data.size() - pos);
      if (!nl && !at_end) break;
      pos = nl ? static_cast<const char*>(nl) - data.data() + 1 : data.size();
      continue;
    }
    end = FindRecordEnd(data, pos);
    if (end == std::string_view::npos) {
      if (!at_end) break;
      end = next = data.size();
    } else {
      next = end + 1;
    }
    std::string_view record = data.substr(pos, end - pos);
    pos = next;
    if (!record.empty() && record.back() == '\r') record.remove_suffix(1);
    if (record.empty()) continue;  // blank lines carry no row
    records->push_back(record);
    ++added;
  }
  return pos;
}

bool CsvRecordDecoder::SplitFields(std::string_view record) {
  fields_.clear();
  size_t unescaped_used = 0;
  size_t pos = 0;
  const char quote = options_.quote;
  const char escape = options_.escape.value_or('\0');
  const bool has_escape = options_.escape.has_value();
  while (true) {
    FieldText field;
    if (options_.quoting && pos < record.size() && record[pos] == quote) {
      field.quoted = true;
      size_t start = pos + 1;
      size_t i = start;
      bool needs_copy = false;
      while (true) {
        if (i >= record.size()) return Fail("unterminated quoted field");
        char c = record[i];
        if (has_escape && c == escape) {
          needs_copy = true;
          i += 2;
        } else if (c == quote) {
          if (i + 1 < record.size() && record[i + 1] == quote) {
            needs_copy = true;
            i += 2;
          } else {
            break;
          }
        } else {
          ++i;
        }
      }
      if (i > record.size()) return Fail("unterminated quoted field");
      std::string_view raw = record.substr(start, i - start);
      pos = i + 1;
      if (pos < record.size() && record[pos] != options_.delimiter) {
        return Fail("unexpected character after a closing quote at position " +
                    std::to_string(pos + 1));
      }
      if (needs_copy) {
        if (unescaped_.size() <= unescaped_used) unescaped_.emplace_back();
        std::string& text = unescaped_[unescaped_used++];
        text.clear();
        for (size_t k = 0; k < raw.size(); ++k) {
          if ((has_escape && raw[k] == escape) || raw[k] == quote) ++k;  // keep the next char
          if (k < raw.size()) text.push_back(raw[k]);
        }
        field.text = text;
        field.from_input = false;
      } else {
        field.text = raw;
      }
    } else {
      size_t i = pos;
      bool needs_copy = false;
      while (i < record.size() && record[i] != options_.delimiter) {
        if (has_escape && record[i] == escape) {
          needs_copy = true;
          ++i;
        }
        ++i;
      }
      if (i > record.size()) i = record.size();
      std::string_view raw = record.substr(pos, i - pos);
      pos = i;
      if (needs_copy) {
        if (unescaped_.size() <= unescaped_used) unescaped_.emplace_back();
        std::string& text = unescaped_[unescaped_used++];
        text.clear();
        for (size_t k = 0; k < raw.size(); ++k) {
          if (raw[k] == escape) ++k;
          if (k < raw.size()) text.push_back(raw[k]);
        }
        field.text = text;
        field.from_input = false;
      } else {
        field.text = raw;
      }
    }
    fields_.push_back(field);
    if (pos >= record.size()) break;
    ++pos;  // the delimiter
    if (pos == record.size()) {
      fields_.push_back(FieldText{});  // a trailing delimiter ends with an empty field
      break;
    }
  }
  return true;
}

bool CsvRecordDecoder::Convert(size_t column_index, const FieldText& field, size_t row) {
  Column& column = *columns_[column_index];
  const Field& def = schema_[column_index];
  std::string_view text = field.text;
  if (options_.null_literal && text == *options_.null_literal) {
    column.SetNull(row, true);
    return true;
  }
  if (def.type.id != TypeId::kVarchar && TrimSpaces(text).empty()) {
    column.SetNull(row, true);  // an empty field is NULL for non-string columns
    return true;
  }
  column.SetNull(row, false);
  auto mismatch = [&](std::string_view expected) {
    return Fail("expected " + std::string(expected) + " for column '" + def.name + "', got \"" +
                Snippet(text) + "\"");
  };
  switch (def.type.id) {
    case TypeId::kVarchar: {
      auto* views = column.data<std::string_view>();
      if (field.from_input && allow_views_) {
        views[row] = text;
        used_input_views_[column_index] = true;
      } else {
        views[row] = column.heap().Add(text);
      }
      return true;
    }
    case TypeId::kInt:
    case TypeId::kBigint: {
      int64_t v = 0;
      TextParse parsed = ParseInt64Text(TrimSpaces(text), &v);
      if (parsed == TextParse::kOk && def.type.id == TypeId::kInt &&
          (v < INT32_MIN || v > INT32_MAX)) {
        parsed = TextParse::kOverflow;
      }
      if (parsed == TextParse::kNotIntegral) return mismatch("an integer");
      if (parsed == TextParse::kSyntax) return mismatch("a number");
      if (parsed == TextParse::kOverflow) {
        return Fail("value " + Snippet(TrimSpaces(text)) + " is out of range for column '" +
                    def.name + "' of type " + def.type.ToString());
      }
      if (def.type.id == TypeId::kInt) {
        column.data<int32_t>()[row] = static_cast<int32_t>(v);
      } else {
        column.data<int64_t>()[row] = v;
      }
      return true;
    }
    case TypeId::kDouble: {
      double v = 0;
      if (!ParseDoubleText(TrimSpaces(text), &v)) return mismatch("a number");
      column.data<double>()[row] = v;
      return true;
    }
    case TypeId::kDecimal: {
      int128_t v = 0;
      TextParse parsed = ParseDecimalText(TrimSpaces(text), def.type.precision, def.type.scale, &v);
      if (parsed == TextParse::kSyntax) return mismatch("a number");
      if (parsed == TextParse::kOverflow) {
        return Fail("value " + Snippet(TrimSpaces(text)) + " does not fit " + def.type.ToString() +
                    " for column '" + def.name + "'");
      }
      column.data<int128_t>()[row] = v;
      return true;
    }
    case TypeId::kBoolean: {
      bool v = false;
      if (!ParseBooleanText(TrimSpaces(text), &v)) return mismatch("a boolean");
      column.data<uint8_t>()[row] = v ? 1 : 0;
      return true;
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: {
      std::optional<int64_t> micros = ParseTimestamp(text);
      if (!micros) return mismatch("a timestamp like '2024-01-01 00:00:05.000'");
      column.data<int64_t>()[row] = *micros;
      return true;
    }
    case TypeId::kDate: {
      std::optional<int32_t> days = ParseDate(TrimSpaces(text));
      if (!days) return mismatch("a date 'yyyy-MM-dd'");
      column.data<int32_t>()[row] = *days;
      return true;
    }
    case TypeId::kNull:
    case TypeId::kInterval:
      break;
  }
  return Fail("column '" + def.name + "' has a type the csv format cannot read");
}

bool CsvRecordDecoder::DecodeRecord(std::string_view record, size_t row) {
  if (!SplitFields(record)) return false;
  const size_t expected = schema_.size();
  if (fields_.size() < expected && !options_.ignore_parse_errors) {
    return Fail("expected " + std::to_string(expected) + " fields, got " +
                std::to_string(fields_.size()));
  }
  for (size_t c = 0; c < expected; ++c) {
    if (c >= fields_.size()) {
      columns_[c]->SetNull(row, true);  // short rows are padded under ignore-parse-errors
    } else if (!Convert(c, fields_[c], row)) {
      return false;
    }
  }
  return true;
}

Status CsvRecordDecoder::Decode(const RecordInput& input, Batch* out, DecodeResult* result) {
  *result = DecodeResult();
  if (out->num_columns() == 0) *out = Batch::Empty(schema_);
  if (out->num_columns() != schema_.size()) {
    return Status::Internal("csv decoder: batch has " + std::to_string(out->num_columns()) +
                            " columns, schema has " + std::to_string(schema_.size()));
  }
  const size_t base = out->num_rows();
  const size_t count = input.records.size();
  columns_.resize(schema_.size());
  used_input_views_.assign(schema_.size(), false);
  for (size_t c = 0; c < schema_.size(); ++c) {
    columns_[c] = out->mutable_column(c).get();
    columns_[c]->Resize(base + count);
  }
  allow_views_ = input.owner != nullptr;
  size_t row = base;
  Status status;
  for (size_t r = 0; r < count; ++r) {
    if (DecodeRecord(input.records[r], row)) {
      ++row;
      continue;
    }
    for (Column* column : columns_) column->SetNull(row, false);
    if (options_.ignore_parse_errors) {
      result->skipped.push_back({r, std::move(reason_)});
      continue;
    }
    result->consumed = r;
    status = Status::DecodeError(std::move(reason_));
    break;
  }
  if (status.ok()) result->consumed = count;
  for (size_t c = 0; c < schema_.size(); ++c) {
    columns_[c]->Resize(row);
    if (used_input_views_[c]) columns_[c]->KeepAlive(input.owner);
  }
  out->set_num_rows(row);
  result->rows = row - base;
  return status;
}

}  // namespace

Result<std::unique_ptr<RecordDecoder>> MakeCsvRecordDecoder(const Schema& schema,
                                                            const CsvOptions& options) {
  for (const Field& field : schema.fields) {
    if (field.type.id == TypeId::kInterval || field.type.id == TypeId::kNull) {
      return Status::Unsupported("the csv format cannot read column '" + field.name + "' of type " +
                                 field.type.ToString());
    }
  }
  return std::unique_ptr<RecordDecoder>(std::make_unique<CsvRecordDecoder>(schema, options));
}

}  // namespace sluice
