#include "formats/avro/avro_format.h"

#include "formats/avro/avro_row_decoder.h"
#include "formats/avro/avro_row_encoder.h"
#include "formats/avro/avro_schema.h"
#include "formats/option_reader.h"

namespace sluice {

Result<AvroFormatOptions> ParseAvroOptions(const Options& options) {
  OptionReader reader(options);
  AvroFormatOptions out;
  std::string encoding = reader.String("avro.encoding", "binary");
  if (encoding == "json") {
    return Status::Unsupported(
        "option 'avro.encoding' = 'json' (Avro's JSON encoding) is not supported; use 'binary'");
  }
  if (encoding != "binary") {
    return Status::InvalidOption("option 'avro.encoding' expects 'binary' or 'json', got '" +
                                 encoding + "'");
  }
  if (reader.Has("avro.codec")) {
    std::string codec = reader.String("avro.codec", "");
    if (codec != "null" && codec != "deflate" && codec != "snappy" && codec != "bzip2" &&
        codec != "xz") {
      return Status::InvalidOption(
          "option 'avro.codec' expects one of null, deflate, snappy, bzip2, xz, got '" + codec +
          "'");
    }
  }
  SLUICE_ASSIGN_OR_RETURN(out.legacy_timestamp_mapping,
                          reader.Bool("avro.timestamp_mapping.legacy", true));
  return out;
}

namespace {

class AvroRecordDecoder final : public RecordDecoder {
 public:
  AvroRecordDecoder(const Schema& schema, std::shared_ptr<const AvroRowProgram> program,
                    bool ignore_parse_errors)
      : schema_(schema), program_(std::move(program)), ignore_parse_errors_(ignore_parse_errors) {}

  const Schema& schema() const override { return schema_; }

  // Records are framed by the transport: nothing to split.
  size_t SplitRecords(std::string_view, bool, size_t,
                      std::vector<std::string_view>*) const override {
    return 0;
  }

  Status Decode(const RecordInput& input, Batch* out, DecodeResult* result) override {
    *result = DecodeResult();
    const size_t count = input.records.size();
    SLUICE_RETURN_IF_ERROR(sink_.Begin(schema_, out, count, input.owner != nullptr));
    const size_t base = out->num_rows();
    size_t row = base;
    Status status;
    for (size_t r = 0; r < count; ++r) {
      std::string_view record = input.records[r];
      if (program_->DecodeRecord(reinterpret_cast<const uint8_t*>(record.data()), record.size(),
                                 &sink_, row)) {
        ++row;
        continue;
      }
      sink_.UndoRow(row);
      if (ignore_parse_errors_) {
        result->skipped.push_back({r, std::move(sink_.reason())});
        continue;
      }
      result->consumed = r;
      status = Status::DecodeError(std::move(sink_.reason()));
      break;
    }
    if (status.ok()) result->consumed = count;
    sink_.End(out, row, input.owner);
    result->rows = row - base;
    return status;
  }

 private:
  Schema schema_;
  std::shared_ptr<const AvroRowProgram> program_;
  bool ignore_parse_errors_;
  AvroRowSink sink_;
};

class AvroRecordEncoder final : public RecordEncoder {
 public:
  explicit AvroRecordEncoder(std::unique_ptr<AvroRowWriter> writer) : writer_(std::move(writer)) {}

  Status Encode(const Batch& batch, size_t begin, size_t end, std::string* out,
                std::vector<size_t>* row_ends) override {
    for (size_t row = begin; row < end; ++row) {
      SLUICE_RETURN_IF_ERROR(writer_->AppendRow(batch, row, out));
      if (row_ends) row_ends->push_back(out->size());
    }
    return Status::OK();
  }

 private:
  std::unique_ptr<AvroRowWriter> writer_;
};

Result<std::unique_ptr<RecordDecoder>> MakeAvroDecoder(const Schema& schema,
                                                       const Options& options) {
  SLUICE_ASSIGN_OR_RETURN(AvroFormatOptions avro, ParseAvroOptions(options));
  return MakeAvroRecordDecoder(schema, avro);
}

Result<std::unique_ptr<RecordEncoder>> MakeAvroEncoder(const Schema& schema,
                                                       const Options& options) {
  SLUICE_ASSIGN_OR_RETURN(AvroFormatOptions avro, ParseAvroOptions(options));
  return MakeAvroRecordEncoder(schema, avro);
}

}  // namespace

Result<std::unique_ptr<RecordDecoder>> MakeAvroRecordDecoder(const Schema& schema,
                                                             const AvroFormatOptions& options) {
  SLUICE_ASSIGN_OR_RETURN(AvroSchema avro,
                          AvroSchemaFromTable(schema, options.legacy_timestamp_mapping));
  // The table's schema is both the writer's and the reader's.
  SLUICE_ASSIGN_OR_RETURN(auto program, AvroRowProgram::Compile(avro, schema, avro));
  return std::unique_ptr<RecordDecoder>(
      std::make_unique<AvroRecordDecoder>(schema, std::move(program), options.ignore_parse_errors));
}

Result<std::unique_ptr<RecordEncoder>> MakeAvroRecordEncoder(const Schema& schema,
                                                             const AvroFormatOptions& options) {
  SLUICE_ASSIGN_OR_RETURN(AvroSchema avro,
                          AvroSchemaFromTable(schema, options.legacy_timestamp_mapping));
  SLUICE_ASSIGN_OR_RETURN(auto writer, AvroRowWriter::Make(avro, schema));
  return std::unique_ptr<RecordEncoder>(std::make_unique<AvroRecordEncoder>(std::move(writer)));
}

const FormatSpec kAvroFormat = {
    .name = "avro",
    .file_extension = "avro",
    .options =
        {
            {"avro.encoding", "binary", "'binary' (Avro's 'json' encoding is not supported)."},
            {"avro.codec", "", "Accepted for Flink compatibility (container-file compression)."},
            {"avro.timestamp_mapping.legacy", "true",
             "Legacy timestamp mapping (TIMESTAMP -> timestamp-millis) as Flink 1.20."},
        },
    .framed_by_transport = true,
    .make_decoder = MakeAvroDecoder,
    .make_encoder = MakeAvroEncoder,
};

}  // namespace sluice
