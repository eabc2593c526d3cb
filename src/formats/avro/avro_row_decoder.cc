#include "formats/avro/avro_row_decoder.h"

#include <map>

#include "formats/avro/avro_binary.h"
#include "types/time_format.h"
#include "types/value.h"

namespace sluice {

namespace {

enum Op : uint8_t {
  // Reads into `column`.
  kBoolean,
  kIntToInt,
  kLongToInt,
  kIntToLong,
  kLongToLong,
  kIntToDouble,
  kLongToDouble,
  kFloatToDouble,
  kDoubleToDouble,
  kString,           // string or bytes
  kEnumToString,     // arg: first symbol in strings_, arg2: symbol count
  kLongToTimestamp,  // arg2: 0 millis, 1 micros, 2 nanos; arg: truncation factor (1 = none)
  kIntToDate,
  kBytesToDecimal,  // small: column precision; arg2: writer scale << 8 | column scale
  kFixedToDecimal,  // as kBytesToDecimal, arg: size
  kIntToDecimal,    // small: column precision; arg2: column scale
  kLongToDecimal,
  kNull,      // the writer's null type: small 1 = NOT NULL column (an error)
  kOptional,  // [null, T] / [T, null]: small bit 0 = null branch, bit 1 = NOT NULL;
              // the next step reads T and is skipped for null
  kUnion,     // arg: first entry in branch_programs_, arg2: branch count
  kError,     // arg: message
  kFillNull,  // a column the writer lacks
  kConst,     // a column the writer lacks, from its default: program arg over strings_[arg2]
  // Skips (no column).
  kSkipVarint,
  kSkipFixed,   // arg: bytes
  kSkipBytes,   // string, bytes
  kSkipArray,   // arg: item program; small 1 = zero-width items
  kSkipMap,     // arg: value program
  kSkipRecord,  // arg: program
  kSkipUnion,   // arg: first entry in branch_programs_, arg2: branch count
};

constexpr uint32_t kNoColumn = UINT32_MAX;
constexpr int kMaxDepth = 100;

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

// The non-null branch of a union (or the node itself), for hints.
int ValueNode(const AvroSchema& schema, int index) {
  if (index < 0) return -1;
  const AvroNode& node = schema.node(index);
  if (node.type != AvroType::kUnion) return index;
  for (int b : node.branches) {
    if (schema.node(b).type != AvroType::kNull) return b;
  }
  return -1;
}

}  // namespace

// ---- compiling ---------------------------------------------------------------------------------

class AvroProgramCompiler {
 public:
  using Step = AvroRowProgram::Step;

  AvroProgramCompiler(const AvroSchema& writer, const Schema& columns, const AvroSchema& reader,
                      AvroRowProgram* program)
      : writer_(writer), columns_(columns), reader_(reader), program_(program) {}

  Status Compile();

 private:
  uint32_t AddProgram(const std::vector<Step>& steps) {
    AvroRowProgram::Range range;
    range.begin = static_cast<uint32_t>(program_->steps_.size());
    program_->steps_.insert(program_->steps_.end(), steps.begin(), steps.end());
    range.end = static_cast<uint32_t>(program_->steps_.size());
    program_->programs_.push_back(range);
    return static_cast<uint32_t>(program_->programs_.size() - 1);
  }
  uint16_t Name(std::string name) {
    if (program_->names_.size() >= UINT16_MAX) return UINT16_MAX - 1;
    program_->names_.push_back(std::move(name));
    return static_cast<uint16_t>(program_->names_.size() - 1);
  }
  Step MakeStep(uint8_t op, uint16_t name, uint32_t column = kNoColumn) {
    Step s;
    s.op = op;
    s.name = name;
    s.column = column;
    return s;
  }

  Status EmitRead(const AvroSchema& s, int node, int column, int hint, uint16_t name,
                  std::vector<Step>* out);
  Status EmitValue(const AvroSchema& s, int node, int column, int hint, uint16_t name,
                   std::vector<Step>* out);
  Status Incompatible(const AvroSchema& s, int node, int column, uint16_t name);
  void EmitSkip(int node, uint16_t name, std::vector<Step>* out);
  uint32_t SkipProgram(int node, uint16_t name);
  bool ZeroWidth(int node, int depth = 0) const;
  int FindWriterField(const AvroNode& record, int column, const AvroField* reader_field) const;
  int FindReaderField(const AvroNode& record, int column) const;

  const AvroSchema& writer_;
  const Schema& columns_;
  const AvroSchema& reader_;
  AvroRowProgram* program_;
  std::map<int, uint32_t> skip_programs_;  // writer node -> program
};

Status AvroProgramCompiler::Incompatible(const AvroSchema& s, int node, int column, uint16_t name) {
  const Field& f = columns_[column];
  return Status::TypeError("Avro field '" + program_->names_[name] + "' of type " +
                           s.Describe(node) + " cannot be read into column '" + f.name +
                           "' of type " + f.type.ToString());
}

bool AvroProgramCompiler::ZeroWidth(int node, int depth) const {
  const AvroNode& n = writer_.node(node);
  if (n.type == AvroType::kNull) return true;
  if (n.type == AvroType::kFixed) return n.fixed_size == 0;
  if (n.type != AvroType::kRecord || depth > 20) return false;
  for (const AvroField& f : n.fields) {
    if (!ZeroWidth(f.type, depth + 1)) return false;
  }
  return true;
}

uint32_t AvroProgramCompiler::SkipProgram(int node, uint16_t name) {
  auto it = skip_programs_.find(node);
  if (it != skip_programs_.end()) return it->second;
  // Reserve the id first so that a recursive record refers to itself.
  uint32_t id = static_cast<uint32_t>(program_->programs_.size());
  program_->programs_.push_back({});
  skip_programs_[node] = id;
  std::vector<Step> steps;
  const AvroNode& n = writer_.node(node);
  if (n.type == AvroType::kRecord) {
    for (const AvroField& f : n.fields) {
      EmitSkip(f.type, Name(program_->names_[name] + "." + f.name), &steps);
    }
  } else {
    EmitSkip(node, name, &steps);
  }
  AvroRowProgram::Range range;
  range.begin = static_cast<uint32_t>(program_->steps_.size());
  program_->steps_.insert(program_->steps_.end(), steps.begin(), steps.end());
  range.end = static_cast<uint32_t>(program_->steps_.size());
  program_->programs_[id] = range;
  return id;
}

void AvroProgramCompiler::EmitSkip(int node, uint16_t name, std::vector<Step>* out) {
  const AvroNode& n = writer_.node(node);
  switch (n.type) {
    case AvroType::kNull:
      return;
    case AvroType::kBoolean: {
      Step s = MakeStep(kSkipFixed, name);
      s.arg = 1;
      out->push_back(s);
      return;
    }
    case AvroType::kInt:
    case AvroType::kLong:
    case AvroType::kEnum:
      out->push_back(MakeStep(kSkipVarint, name));
      return;
    case AvroType::kFloat:
    case AvroType::kDouble:
    case AvroType::kFixed: {
      Step s = MakeStep(kSkipFixed, name);
      s.arg = n.type == AvroType::kFloat    ? 4
              : n.type == AvroType::kDouble ? 8
                                            : static_cast<uint32_t>(n.fixed_size);
      if (s.arg) out->push_back(s);
      return;
    }
    case AvroType::kBytes:
    case AvroType::kString:
      out->push_back(MakeStep(kSkipBytes, name));
      return;
    case AvroType::kArray:
    case AvroType::kMap: {
      Step s = MakeStep(n.type == AvroType::kArray ? kSkipArray : kSkipMap, name);
      s.arg = SkipProgram(n.items, name);
      s.small = n.type == AvroType::kArray && ZeroWidth(n.items) ? 1 : 0;
      out->push_back(s);
      return;
    }
    case AvroType::kRecord: {
      Step s = MakeStep(kSkipRecord, name);
      s.arg = SkipProgram(node, name);
      out->push_back(s);
      return;
    }
    case AvroType::kUnion: {
      if (n.branches.size() == 2) {
        int null_at = writer_.node(n.branches[0]).type == AvroType::kNull   ? 0
                      : writer_.node(n.branches[1]).type == AvroType::kNull ? 1
                                                                            : -1;
        if (null_at >= 0) {
          std::vector<Step> value;
          EmitSkip(n.branches[1 - null_at], name, &value);
          if (value.size() == 1) {
            Step s = MakeStep(kOptional, name);
            s.small = static_cast<uint8_t>(null_at);
            out->push_back(s);
            out->push_back(value[0]);
            return;
          }
        }
      }
      std::vector<uint32_t> branches;
      for (int b : n.branches) {
        std::vector<Step> steps;
        EmitSkip(b, name, &steps);
        branches.push_back(AddProgram(steps));
      }
      Step s = MakeStep(kSkipUnion, name);
      s.arg = static_cast<uint32_t>(program_->branch_programs_.size());
      s.arg2 = static_cast<int32_t>(branches.size());
      program_->branch_programs_.insert(program_->branch_programs_.end(), branches.begin(),
                                        branches.end());
      out->push_back(s);
      return;
    }
  }
}

Status AvroProgramCompiler::EmitValue(const AvroSchema& s, int node, int column, int hint,
                                      uint16_t name, std::vector<Step>* out) {
  const AvroNode& n = s.node(node);
  const Field& field = columns_[column];
  const LogicalType& type = field.type;
  const AvroType w = n.type;
  Step step = MakeStep(0, name, static_cast<uint32_t>(column));
  const int hint_value = ValueNode(reader_, hint);  // hints are reader schema nodes
  const AvroNode* h = hint_value >= 0 ? &reader_.node(hint_value) : nullptr;
  auto emit = [&](uint8_t op) {
    step.op = op;
    out->push_back(step);
    return Status::OK();
  };
  switch (type.id) {
    case TypeId::kBoolean:
      if (w == AvroType::kBoolean) return emit(kBoolean);
      break;
    case TypeId::kInt:
      if (w == AvroType::kInt) return emit(kIntToInt);
      if (w == AvroType::kLong) return emit(kLongToInt);
      break;
    case TypeId::kBigint:
      if (w == AvroType::kInt) return emit(kIntToLong);
      if (w == AvroType::kLong) return emit(kLongToLong);
      break;
    case TypeId::kDouble:
      if (w == AvroType::kInt) return emit(kIntToDouble);
      if (w == AvroType::kLong) return emit(kLongToDouble);
      if (w == AvroType::kFloat) return emit(kFloatToDouble);
      if (w == AvroType::kDouble) return emit(kDoubleToDouble);
      break;
    case TypeId::kDecimal: {
      step.small = type.precision;
      if (w == AvroType::kBytes || w == AvroType::kFixed) {
        int writer_scale = type.scale;
        if (n.logical == AvroLogicalType::kDecimal) {
          writer_scale = n.scale;
        } else if (h && h->logical == AvroLogicalType::kDecimal) {
          writer_scale = h->scale;
        }
        if (writer_scale > 255) writer_scale = 255;
        step.arg2 = (writer_scale << 8) | type.scale;
        if (w == AvroType::kFixed) {
          step.arg = static_cast<uint32_t>(n.fixed_size);
          return emit(kFixedToDecimal);
        }
        return emit(kBytesToDecimal);
      }
      step.arg2 = type.scale;
      if (w == AvroType::kInt) return emit(kIntToDecimal);
      if (w == AvroType::kLong) return emit(kLongToDecimal);
      break;
    }
    case TypeId::kVarchar:
      if (w == AvroType::kString || w == AvroType::kBytes) return emit(kString);
      if (w == AvroType::kEnum) {
        auto& strings = *program_->strings_;
        step.arg = static_cast<uint32_t>(strings.size());
        step.arg2 = static_cast<int32_t>(n.symbols.size());
        strings.insert(strings.end(), n.symbols.begin(), n.symbols.end());
        program_->has_symbols_ = true;
        return emit(kEnumToString);
      }
      break;
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
      if (w == AvroType::kLong) {
        int unit = AvroTimestampUnit(n.logical);
        if (unit < 0 && h) unit = AvroTimestampUnit(h->logical);
        if (unit < 0) unit = type.precision <= 3 ? 0 : 1;
        step.arg2 = unit;
        uint32_t factor = 1;
        for (int p = type.precision; p < 6; ++p) factor *= 10;
        step.arg = factor;
        return emit(kLongToTimestamp);
      }
      break;
    case TypeId::kDate:
      if (w == AvroType::kInt) return emit(kIntToDate);
      break;
    case TypeId::kNull:
    case TypeId::kInterval:
      break;
  }
  return Incompatible(s, node, column, name);
}

Status AvroProgramCompiler::EmitRead(const AvroSchema& s, int node, int column, int hint,
                                     uint16_t name, std::vector<Step>* out) {
  const AvroNode& n = s.node(node);
  const bool not_null = !columns_[column].nullable;
  if (n.type == AvroType::kNull) {
    Step step = MakeStep(kNull, name, static_cast<uint32_t>(column));
    step.small = not_null ? 1 : 0;
    out->push_back(step);
    return Status::OK();
  }
  if (n.type != AvroType::kUnion) return EmitValue(s, node, column, hint, name, out);

  if (n.branches.size() == 2) {
    int null_at = s.node(n.branches[0]).type == AvroType::kNull   ? 0
                  : s.node(n.branches[1]).type == AvroType::kNull ? 1
                                                                  : -1;
    if (null_at >= 0) {
      std::vector<Step> value;
      SLUICE_RETURN_IF_ERROR(EmitValue(s, n.branches[1 - null_at], column, hint, name, &value));
      if (value.size() == 1) {
        Step step = MakeStep(kOptional, name, static_cast<uint32_t>(column));
        step.small = static_cast<uint8_t>(null_at | (not_null ? 2 : 0));
        out->push_back(step);
        out->push_back(value[0]);
        return Status::OK();
      }
    }
  }
  std::vector<uint32_t> branches;
  Status first_error;
  bool any_value = false;
  for (int b : n.branches) {
    std::vector<Step> steps;
    if (s.node(b).type == AvroType::kNull) {
      Step step = MakeStep(kNull, name, static_cast<uint32_t>(column));
      step.small = not_null ? 1 : 0;
      steps.push_back(step);
    } else {
      Status st = EmitValue(s, b, column, hint, name, &steps);
      if (st.ok()) {
        any_value = true;
      } else {
        if (first_error.ok()) first_error = st;
        steps.clear();
        Step step = MakeStep(kError, name, static_cast<uint32_t>(column));
        step.arg = static_cast<uint32_t>(program_->messages_.size());
        program_->messages_.push_back("union branch " + s.Describe(b) + " of field '" +
                                      program_->names_[name] + "' cannot be read into column '" +
                                      columns_[column].name + "' of type " +
                                      columns_[column].type.ToString());
        steps.push_back(step);
      }
    }
    branches.push_back(AddProgram(steps));
  }
  if (!any_value && !first_error.ok()) return first_error;
  Step step = MakeStep(kUnion, name, static_cast<uint32_t>(column));
  step.arg = static_cast<uint32_t>(program_->branch_programs_.size());
  step.arg2 = static_cast<int32_t>(branches.size());
  program_->branch_programs_.insert(program_->branch_programs_.end(), branches.begin(),
                                    branches.end());
  out->push_back(step);
  return Status::OK();
}

int AvroProgramCompiler::FindReaderField(const AvroNode& record, int column) const {
  const std::string& name = columns_[column].name;
  for (size_t i = 0; i < record.fields.size(); ++i) {
    if (record.fields[i].name == name) return static_cast<int>(i);
  }
  for (size_t i = 0; i < record.fields.size(); ++i) {
    if (EqualsIgnoreCase(record.fields[i].name, name)) return static_cast<int>(i);
  }
  return -1;
}

int AvroProgramCompiler::FindWriterField(const AvroNode& record, int column,
                                         const AvroField* reader_field) const {
  const std::string& name = reader_field ? reader_field->name : columns_[column].name;
  for (size_t i = 0; i < record.fields.size(); ++i) {
    if (record.fields[i].name == name) return static_cast<int>(i);
  }
  if (reader_field) {
    for (const std::string& alias : reader_field->aliases) {
      for (size_t i = 0; i < record.fields.size(); ++i) {
        if (record.fields[i].name == alias) return static_cast<int>(i);
      }
    }
  }
  for (size_t i = 0; i < record.fields.size(); ++i) {
    if (EqualsIgnoreCase(record.fields[i].name, columns_[column].name)) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

Status AvroProgramCompiler::Compile() {
  const AvroNode& wroot = writer_.root();
  if (wroot.type != AvroType::kRecord) {
    return Status::TypeError("the writer schema is not a record but " +
                             writer_.Describe(writer_.root_index()));
  }
  const AvroNode& rroot = reader_.root();
  if (rroot.type != AvroType::kRecord) {
    return Status::TypeError("the reader schema is not a record but " +
                             reader_.Describe(reader_.root_index()));
  }
  const size_t num_columns = columns_.size();
  std::vector<int> writer_to_column(wroot.fields.size(), -1);
  std::vector<int> reader_field(num_columns, -1);
  std::vector<bool> found(num_columns, false);
  for (size_t c = 0; c < num_columns; ++c) {
    int rf = FindReaderField(rroot, static_cast<int>(c));
    reader_field[c] = rf;
    int wf = FindWriterField(wroot, static_cast<int>(c), rf >= 0 ? &rroot.fields[rf] : nullptr);
    if (wf >= 0 && writer_to_column[wf] < 0) {
      writer_to_column[wf] = static_cast<int>(c);
      found[c] = true;
    }
  }
  std::vector<Step> main;
  for (size_t i = 0; i < wroot.fields.size(); ++i) {
    const AvroField& f = wroot.fields[i];
    uint16_t name = Name(f.name);
    int c = writer_to_column[i];
    if (c < 0) {
      EmitSkip(f.type, name, &main);
      continue;
    }
    int hint = reader_field[c] >= 0 ? rroot.fields[reader_field[c]].type : -1;
    SLUICE_RETURN_IF_ERROR(EmitRead(writer_, f.type, c, hint, name, &main));
  }
  for (size_t c = 0; c < num_columns; ++c) {
    if (found[c]) continue;
    const Field& column = columns_[c];
    const AvroField* rf = reader_field[c] >= 0 ? &rroot.fields[reader_field[c]] : nullptr;
    uint16_t name = Name(rf ? rf->name : column.name);
    if (rf && rf->has_default() && !(rf->default_json == "null" && column.nullable)) {
      std::string bytes;
      Status st = EncodeAvroDefault(reader_, rf->type, rf->default_json, &bytes);
      if (!st.ok()) return st.WithContext("reader field '" + rf->name + "'");
      std::vector<Step> steps;
      // Defaults are read from the reader schema's own type.
      SLUICE_RETURN_IF_ERROR(
          EmitRead(reader_, rf->type, static_cast<int>(c), rf->type, name, &steps));
      Step step = MakeStep(kConst, name, static_cast<uint32_t>(c));
      step.arg = AddProgram(steps);
      step.arg2 = static_cast<int32_t>(program_->strings_->size());
      program_->strings_->push_back(std::move(bytes));
      main.push_back(step);
    } else if (column.nullable) {
      main.push_back(MakeStep(kFillNull, name, static_cast<uint32_t>(c)));
    } else {
      return Status::TypeError(
          "column '" + column.name + "' is NOT NULL but the writer schema has no field '" +
          (rf ? rf->name : column.name) + "' and the reader schema gives it no default");
    }
  }
  program_->main_ = AddProgram(main);
  return Status::OK();
}

Result<std::shared_ptr<const AvroRowProgram>> AvroRowProgram::Compile(const AvroSchema& writer,
                                                                      const Schema& columns,
                                                                      const AvroSchema& reader) {
  auto program = std::make_shared<AvroRowProgram>();
  program->strings_ = std::make_shared<std::vector<std::string>>();
  AvroProgramCompiler compiler(writer, columns, reader, program.get());
  SLUICE_RETURN_IF_ERROR(compiler.Compile());
  return std::shared_ptr<const AvroRowProgram>(std::move(program));
}

// ---- the sink ----------------------------------------------------------------------------------

Status AvroRowSink::Begin(const Schema& schema, Batch* out, size_t count, bool allow_views) {
  if (out->num_columns() == 0) *out = Batch::Empty(schema);
  if (out->num_columns() != schema.size()) {
    return Status::Internal("avro decoder: batch has " + std::to_string(out->num_columns()) +
                            " columns, schema has " + std::to_string(schema.size()));
  }
  const size_t n = schema.size();
  columns_.resize(n);
  data_.resize(n);
  used_views_.assign(n, 0);
  types_.resize(n);
  keep_alive_.clear();
  const size_t base = out->num_rows();
  for (size_t i = 0; i < n; ++i) {
    Column* column = out->mutable_column(i).get();
    column->Resize(base + count);
    columns_[i] = column;
    data_[i] = column->data<uint8_t>();
    types_[i] = schema[i].type;
  }
  allow_views_ = allow_views;
  return Status::OK();
}

void AvroRowSink::UndoRow(size_t row) {
  for (Column* column : columns_) column->SetNull(row, false);
}

void AvroRowSink::End(Batch* out, size_t rows, const std::shared_ptr<const void>& owner) {
  for (size_t i = 0; i < columns_.size(); ++i) {
    Column* column = columns_[i];
    column->Resize(rows);
    if (used_views_[i] && owner) column->KeepAlive(owner);
    if (types_[i].id == TypeId::kVarchar) {
      for (const auto& keep : keep_alive_) column->KeepAlive(keep);
    }
  }
  out->set_num_rows(rows);
}

// ---- decoding ----------------------------------------------------------------------------------

bool AvroRowProgram::Fail(AvroRowSink* sink, const Step& step, std::string reason) const {
  sink->reason_ = std::move(reason);
  return false;
}

bool AvroRowProgram::DecodeRecord(const uint8_t* data, size_t size, AvroRowSink* sink,
                                  size_t row) const {
  const uint8_t* p = data;
  return Run(main_, p, data + size, sink, row, 0);
}

namespace {

std::string FieldOf(const std::vector<std::string>& names, uint16_t name) {
  return name < names.size() ? "'" + names[name] + "'" : "?";
}

}  // namespace

bool AvroRowProgram::Run(uint32_t program, const uint8_t*& p, const uint8_t* end, AvroRowSink* sink,
                         size_t row, int depth) const {
  const Range range = programs_[program];
  const Step* s = steps_.data() + range.begin;
  const Step* const last = steps_.data() + range.end;

  auto read_fail = [&](AvroRead r) {
    if (r == AvroRead::kTruncated) {
      return Fail(sink, *s,
                  "truncated Avro body (ends inside field " + FieldOf(names_, s->name) + ")");
    }
    return Fail(sink, *s, "malformed Avro varint in field " + FieldOf(names_, s->name));
  };
#define SLUICE_AVRO_READ_LONG(var)            \
  int64_t var;                                \
  do {                                        \
    AvroRead _r = ReadAvroLong(p, end, &var); \
    if (_r != AvroRead::kOk) [[unlikely]]     \
      return read_fail(_r);                   \
  } while (0)
#define SLUICE_AVRO_READ_INT(var)            \
  int32_t var;                               \
  do {                                       \
    AvroRead _r = ReadAvroInt(p, end, &var); \
    if (_r != AvroRead::kOk) [[unlikely]]    \
      return read_fail(_r);                  \
  } while (0)

  auto out_of_range = [&](std::string value) {
    const LogicalType& type = sink->types_[s->column];
    return Fail(sink, *s,
                "value " + value + " of field " + FieldOf(names_, s->name) +
                    " does not fit column type " + type.ToString());
  };
  auto null_for_not_null = [&]() {
    return Fail(sink, *s,
                "null value in field " + FieldOf(names_, s->name) + " for a NOT NULL column");
  };
  auto length = [&](int64_t* len) -> bool {
    AvroRead r = ReadAvroLong(p, end, len);
    if (r != AvroRead::kOk) [[unlikely]]
      return read_fail(r);
    if (*len < 0) [[unlikely]] {
      return Fail(
          sink, *s,
          "negative length " + std::to_string(*len) + " in field " + FieldOf(names_, s->name));
    }
    if (*len > end - p) [[unlikely]] {
      return Fail(sink, *s,
                  "truncated Avro body (field " + FieldOf(names_, s->name) + " needs " +
                      std::to_string(*len) + " bytes, " + std::to_string(end - p) + " left)");
    }
    return true;
  };
  auto put_decimal = [&](int128_t v, int writer_scale) -> bool {
    const LogicalType& type = sink->types_[s->column];
    int128_t scaled;
    if (!RescaleDecimal(v, writer_scale, type.scale, &scaled) ||
        !DecimalFitsPrecision(scaled, type.precision)) {
      return out_of_range(FormatDecimal(v, writer_scale));
    }
    reinterpret_cast<int128_t*>(sink->data_[s->column])[row] = scaled;
    return true;
  };

  for (; s < last; ++s) {
    switch (s->op) {
      case kBoolean: {
        if (p >= end) [[unlikely]]
          return read_fail(AvroRead::kTruncated);
        uint8_t b = *p++;
        if (b > 1) [[unlikely]] {
          return Fail(sink, *s,
                      "malformed Avro boolean byte " + std::to_string(b) + " in field " +
                          FieldOf(names_, s->name));
        }
        sink->data_[s->column][row] = b;
        break;
      }
      case kIntToInt: {
        SLUICE_AVRO_READ_INT(v);
        reinterpret_cast<int32_t*>(sink->data_[s->column])[row] = v;
        break;
      }
      case kLongToInt: {
        SLUICE_AVRO_READ_LONG(v);
        if (v < INT32_MIN || v > INT32_MAX) [[unlikely]]
          return out_of_range(std::to_string(v));
        reinterpret_cast<int32_t*>(sink->data_[s->column])[row] = static_cast<int32_t>(v);
        break;
      }
      case kIntToLong: {
        SLUICE_AVRO_READ_INT(v);
        reinterpret_cast<int64_t*>(sink->data_[s->column])[row] = v;
        break;
      }
      case kLongToLong: {
        SLUICE_AVRO_READ_LONG(v);
        reinterpret_cast<int64_t*>(sink->data_[s->column])[row] = v;
        break;
      }
      case kIntToDouble: {
        SLUICE_AVRO_READ_INT(v);
        reinterpret_cast<double*>(sink->data_[s->column])[row] = v;
        break;
      }
      case kLongToDouble: {
        SLUICE_AVRO_READ_LONG(v);
        reinterpret_cast<double*>(sink->data_[s->column])[row] = static_cast<double>(v);
        break;
      }
      case kFloatToDouble: {
        if (end - p < 4) [[unlikely]]
          return read_fail(AvroRead::kTruncated);
        float f;
        std::memcpy(&f, p, 4);
        p += 4;
        reinterpret_cast<double*>(sink->data_[s->column])[row] = f;
        break;
      }
      case kDoubleToDouble: {
        if (end - p < 8) [[unlikely]]
          return read_fail(AvroRead::kTruncated);
        std::memcpy(reinterpret_cast<double*>(sink->data_[s->column]) + row, p, 8);
        p += 8;
        break;
      }
      case kString: {
        int64_t len;
        if (!length(&len)) return false;
        auto* views = reinterpret_cast<std::string_view*>(sink->data_[s->column]);
        std::string_view text(reinterpret_cast<const char*>(p), static_cast<size_t>(len));
        if (sink->allow_views_) {
          views[row] = text;
          sink->used_views_[s->column] = 1;
        } else {
          views[row] = sink->columns_[s->column]->heap().Add(text);
        }
        p += len;
        break;
      }
      case kEnumToString: {
        SLUICE_AVRO_READ_LONG(v);
        if (v < 0 || v >= s->arg2) [[unlikely]] {
          return Fail(sink, *s,
                      "enum index " + std::to_string(v) + " out of range (" +
                          std::to_string(s->arg2) + " symbols) in field " +
                          FieldOf(names_, s->name));
        }
        reinterpret_cast<std::string_view*>(sink->data_[s->column])[row] =
            (*strings_)[s->arg + static_cast<size_t>(v)];
        if (sink->keep_alive_.empty() || sink->keep_alive_.back() != strings_) {
          sink->keep_alive_.push_back(strings_);
        }
        break;
      }
      case kLongToTimestamp: {
        SLUICE_AVRO_READ_LONG(v);
        int64_t micros = v;
        if (s->arg2 == 0) {
          if (__builtin_mul_overflow(v, int64_t{1000}, &micros)) [[unlikely]] {
            return out_of_range(std::to_string(v) + " (milliseconds)");
          }
        } else if (s->arg2 == 2) {
          micros = FloorDiv(v, 1000);
        }
        if (s->arg > 1) micros = FloorDiv(micros, s->arg) * static_cast<int64_t>(s->arg);
        reinterpret_cast<int64_t*>(sink->data_[s->column])[row] = micros;
        break;
      }
      case kIntToDate: {
        SLUICE_AVRO_READ_INT(v);
        reinterpret_cast<int32_t*>(sink->data_[s->column])[row] = v;
        break;
      }
      case kBytesToDecimal:
      case kFixedToDecimal: {
        int64_t len = s->arg;
        if (s->op == kBytesToDecimal) {
          if (!length(&len)) return false;
        } else if (len > end - p) [[unlikely]] {
          return read_fail(AvroRead::kTruncated);
        }
        int128_t v;
        if (!DecimalFromBytes(p, static_cast<size_t>(len), &v)) [[unlikely]] {
          return out_of_range("of " + std::to_string(len) + " bytes");
        }
        p += len;
        if (!put_decimal(v, s->arg2 >> 8)) return false;
        break;
      }
      case kIntToDecimal:
      case kLongToDecimal: {
        SLUICE_AVRO_READ_LONG(v);
        if (s->op == kIntToDecimal && (v < INT32_MIN || v > INT32_MAX)) [[unlikely]] {
          return read_fail(AvroRead::kBadVarint);
        }
        if (!put_decimal(v, 0)) return false;
        break;
      }
      case kNull:
        if (s->small) [[unlikely]]
          return null_for_not_null();
        sink->columns_[s->column]->SetNull(row, true);
        break;
      case kOptional: {
        SLUICE_AVRO_READ_LONG(index);
        const int null_at = s->small & 1;
        if (index == null_at) {
          if (s->column != kNoColumn) {
            if (s->small & 2) [[unlikely]]
              return null_for_not_null();
            sink->columns_[s->column]->SetNull(row, true);
          }
          ++s;  // the value step
          break;
        }
        if (index != 1 - null_at) [[unlikely]] {
          return Fail(sink, *s,
                      "union index " + std::to_string(index) +
                          " out of range (2 branches) in field " + FieldOf(names_, s->name));
        }
        break;  // the next step reads the value
      }
      case kUnion:
      case kSkipUnion: {
        SLUICE_AVRO_READ_LONG(index);
        if (index < 0 || index >= s->arg2) [[unlikely]] {
          return Fail(sink, *s,
                      "union index " + std::to_string(index) + " out of range (" +
                          std::to_string(s->arg2) + " branches) in field " +
                          FieldOf(names_, s->name));
        }
        if (depth >= kMaxDepth) [[unlikely]] {
          return Fail(sink, *s,
                      "Avro value nested too deeply in field " + FieldOf(names_, s->name));
        }
        if (!Run(branch_programs_[s->arg + static_cast<size_t>(index)], p, end, sink, row,
                 depth + 1)) {
          return false;
        }
        break;
      }
      case kError:
        return Fail(sink, *s, messages_[s->arg]);
      case kFillNull:
        sink->columns_[s->column]->SetNull(row, true);
        break;
      case kConst: {
        const std::string& bytes = (*strings_)[static_cast<size_t>(s->arg2)];
        const uint8_t* q = reinterpret_cast<const uint8_t*>(bytes.data());
        const bool views = sink->allow_views_;
        sink->allow_views_ = false;  // copy: the bytes belong to this program
        bool ok = Run(s->arg, q, q + bytes.size(), sink, row, depth + 1);
        sink->allow_views_ = views;
        if (!ok) return false;
        break;
      }
      case kSkipVarint: {
        SLUICE_AVRO_READ_LONG(v);
        (void)v;
        break;
      }
      case kSkipFixed:
        if (end - p < static_cast<int64_t>(s->arg)) [[unlikely]] {
          return read_fail(AvroRead::kTruncated);
        }
        p += s->arg;
        break;
      case kSkipBytes: {
        int64_t len;
        if (!length(&len)) return false;
        p += len;
        break;
      }
      case kSkipRecord:
        if (depth >= kMaxDepth) [[unlikely]] {
          return Fail(sink, *s,
                      "Avro value nested too deeply in field " + FieldOf(names_, s->name));
        }
        if (!Run(s->arg, p, end, sink, row, depth + 1)) return false;
        break;
      case kSkipArray:
      case kSkipMap: {
        if (depth >= kMaxDepth) [[unlikely]] {
          return Fail(sink, *s,
                      "Avro value nested too deeply in field " + FieldOf(names_, s->name));
        }
        while (true) {
          SLUICE_AVRO_READ_LONG(count);
          if (count == 0) break;
          if (count < 0) {
            if (count == INT64_MIN) [[unlikely]]
              return read_fail(AvroRead::kBadVarint);
            int64_t size;
            if (!length(&size)) return false;  // the block's size in bytes follows
            p += size;
            continue;
          }
          if (s->small) continue;  // zero-width items: nothing to read
          // Every item (map entries: key + value) takes at least one byte.
          if (count > end - p) [[unlikely]]
            return read_fail(AvroRead::kTruncated);
          for (int64_t i = 0; i < count; ++i) {
            if (s->op == kSkipMap) {
              int64_t len;
              if (!length(&len)) return false;
              p += len;
            }
            if (!Run(s->arg, p, end, sink, row, depth + 1)) return false;
          }
        }
        break;
      }
      default:
        return Fail(sink, *s, "internal error: bad Avro decode step");
    }
  }
#undef SLUICE_AVRO_READ_LONG
#undef SLUICE_AVRO_READ_INT
  return true;
}

}  // namespace sluice
