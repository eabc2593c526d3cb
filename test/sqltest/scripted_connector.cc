#include "scripted_connector.h"

#include <algorithm>

#include "types/time_format.h"

namespace sluice::sqltest {

std::map<std::string, std::vector<ScriptStep>>& ScriptedInputs() {
  static std::map<std::string, std::vector<ScriptStep>> inputs;
  return inputs;
}

CollectedRows& CollectedRows::Instance() {
  static CollectedRows rows;
  return rows;
}

void CollectedRows::Add(std::vector<std::string> rows) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& r : rows) rows_.push_back(std::move(r));
}

std::vector<std::string> CollectedRows::Take() {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::move(rows_);
}

namespace {

Result<int128_t> ParseDecimalText(const std::string& text, int scale) {
  bool negative = !text.empty() && text[0] == '-';
  size_t i = negative ? 1 : 0;
  int128_t value = 0;
  int frac_digits = -1;
  for (; i < text.size(); ++i) {
    if (text[i] == '.') {
      if (frac_digits >= 0) return Status::InvalidArgument("bad decimal '" + text + "'");
      frac_digits = 0;
      continue;
    }
    if (text[i] < '0' || text[i] > '9')
      return Status::InvalidArgument("bad decimal '" + text + "'");
    if (frac_digits >= 0) {
      if (frac_digits == scale) continue;  // truncate extra digits
      ++frac_digits;
    }
    value = value * 10 + (text[i] - '0');
  }
  for (int d = std::max(frac_digits, 0); d < scale; ++d) value *= 10;
  return negative ? -value : value;
}

}  // namespace

Status AppendTextValue(const std::string& raw, Column& column) {
  std::string text = raw;
  if (text == "NULL") {
    column.AppendNull();
    return Status::OK();
  }
  if (text.size() >= 2 && text.front() == '\'' && text.back() == '\'') {
    text = text.substr(1, text.size() - 2);
  }
  const LogicalType& type = column.type();
  char* end = nullptr;
  switch (type.id) {
    case TypeId::kBoolean:
      if (text != "true" && text != "false")
        return Status::InvalidArgument("bad BOOLEAN '" + text + "'");
      column.Append<uint8_t>(text == "true");
      return Status::OK();
    case TypeId::kInt:
      column.Append<int32_t>(static_cast<int32_t>(std::strtol(text.c_str(), &end, 10)));
      break;
    case TypeId::kBigint:
      column.Append<int64_t>(std::strtoll(text.c_str(), &end, 10));
      break;
    case TypeId::kDouble:
      column.Append<double>(std::strtod(text.c_str(), &end));
      break;
    case TypeId::kDecimal: {
      SLUICE_ASSIGN_OR_RETURN(int128_t v, ParseDecimalText(text, type.scale));
      column.Append<int128_t>(v);
      return Status::OK();
    }
    case TypeId::kVarchar:
      column.AppendString(text);
      return Status::OK();
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: {
      auto ts = ParseTimestamp(text);
      if (!ts) return Status::InvalidArgument("bad timestamp '" + text + "'");
      column.Append<int64_t>(*ts);
      return Status::OK();
    }
    case TypeId::kDate: {
      auto d = ParseDate(text);
      if (!d) return Status::InvalidArgument("bad date '" + text + "'");
      column.Append<int32_t>(*d);
      return Status::OK();
    }
    default:
      return Status::InvalidArgument("scripted input cannot hold " + type.ToString());
  }
  if (end == text.c_str() || *end != '\0') {
    return Status::InvalidArgument("bad " + type.ToString() + " value '" + text + "'");
  }
  return Status::OK();
}

namespace {

class ScriptedReader : public SplitReader {
 public:
  ScriptedReader(Schema schema, std::vector<ScriptStep> steps)
      : schema_(std::move(schema)), steps_(std::move(steps)) {}

  Result<Batch> Poll(size_t max_rows, bool* end_of_split) override {
    *end_of_split = false;
    if (pending_watermark_) return Batch::Empty(schema_);
    if (next_ >= steps_.size()) {
      *end_of_split = true;
      return Batch::Empty(schema_);
    }
    const ScriptStep& step = steps_[next_++];
    if (step.is_watermark) {
      pending_watermark_ = true;
      watermark_ = step.watermark;
      return Batch::Empty(schema_);
    }
    Batch batch = Batch::Empty(schema_);
    if (step.values.size() != schema_.size()) {
      return Status::InvalidArgument("line " + std::to_string(step.line) + ": expected " +
                                     std::to_string(schema_.size()) + " values, got " +
                                     std::to_string(step.values.size()));
    }
    for (size_t c = 0; c < schema_.size(); ++c) {
      Status s = AppendTextValue(step.values[c], *batch.mutable_column(c));
      if (!s.ok()) return s.WithContext("line " + std::to_string(step.line));
    }
    batch.set_num_rows(1);
    if (step.kind) batch.set_row_kinds({*step.kind});
    return batch;
  }

  bool TakeWatermark(int64_t* watermark) override {
    if (!pending_watermark_) return false;
    pending_watermark_ = false;
    *watermark = watermark_;
    return true;
  }

 private:
  Schema schema_;
  std::vector<ScriptStep> steps_;
  size_t next_ = 0;
  bool pending_watermark_ = false;
  int64_t watermark_ = 0;
};

class ScriptedSource : public Source {
 public:
  ScriptedSource(Schema schema, std::vector<ScriptStep> steps)
      : schema_(std::move(schema)), steps_(std::move(steps)) {}
  Result<std::vector<SourceSplit>> ListSplits(int) override {
    return std::vector<SourceSplit>{{"scripted:0", 0}};
  }
  Result<std::unique_ptr<SplitReader>> CreateReader(const SourceSplit&) override {
    return std::unique_ptr<SplitReader>(new ScriptedReader(schema_, steps_));
  }
  bool IsBounded() const override { return true; }

 private:
  Schema schema_;
  std::vector<ScriptStep> steps_;
};

Result<std::unique_ptr<Source>> MakeScriptedSource(const TableContext& context) {
  std::string name = context.table->name;
  std::transform(name.begin(), name.end(), name.begin(), ::tolower);
  auto it = ScriptedInputs().find(name);
  std::vector<ScriptStep> steps =
      it == ScriptedInputs().end() ? std::vector<ScriptStep>{} : it->second;
  return std::unique_ptr<Source>(new ScriptedSource(context.physical_schema, std::move(steps)));
}

class CollectWriter : public SinkWriter {
 public:
  Status Write(const Batch& batch) override {
    std::vector<std::string> rows;
    for (size_t r = 0; r < batch.num_rows(); ++r) rows.push_back(batch.RowToString(r));
    CollectedRows::Instance().Add(std::move(rows));
    return Status::OK();
  }
  Status Flush() override { return Status::OK(); }
};

class CollectSink : public Sink {
 public:
  Result<std::unique_ptr<SinkWriter>> CreateWriter(int, int) override {
    return std::unique_ptr<SinkWriter>(new CollectWriter());
  }
};

Result<std::unique_ptr<Sink>> MakeCollectSink(const TableContext&) {
  return std::unique_ptr<Sink>(new CollectSink());
}

}  // namespace

const ConnectorSpec kScriptedConnector{"scripted",
                                       "rows and watermarks scripted by a SQL test file",
                                       {},
                                       &MakeScriptedSource,
                                       nullptr};
const ConnectorSpec kScriptedUpsertConnector{
    "scripted-upsert",
    "scripted rows of an upsert source (+U / -D by PRIMARY KEY, as upsert-kafka)",
    {},
    &MakeScriptedSource,
    nullptr,
    {},
    /*changelog_source=*/true};
const ConnectorSpec kCollectConnector{
    "collect", "collects rows for a SQL test", {}, nullptr, &MakeCollectSink};

}  // namespace sluice::sqltest
