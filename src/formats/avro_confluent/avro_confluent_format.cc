#include "formats/avro_confluent/avro_confluent_format.h"

#include <chrono>
#include <cstring>
#include <unordered_map>

#include "formats/avro/avro_row_decoder.h"
#include "formats/avro/avro_row_encoder.h"
#include "formats/avro/avro_schema.h"
#include "formats/option_reader.h"

namespace sluice {

namespace {

constexpr size_t kHeaderSize = 5;  // magic byte 0 + 4-byte big-endian schema id
// How long a schema id the registry does not know (or that cannot be read into the table) is
// remembered before the registry is asked again.
constexpr auto kNegativeCacheTime = std::chrono::seconds(30);

std::string HexByte(uint8_t b) {
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string("0x") + kHex[b >> 4] + kHex[b & 0xf];
}

}  // namespace

Result<AvroConfluentOptions> ParseAvroConfluentOptions(const Options& options) {
  OptionReader reader(options);
  AvroConfluentOptions out;
  out.registry.url =
      reader.String("avro-confluent.url", reader.String("avro-confluent.schema-registry.url", ""));
  if (out.registry.url.empty()) {
    return Status::InvalidOption(
        "format 'avro-confluent' needs option 'avro-confluent.url' (the schema registry's URL, "
        "e.g. 'http://localhost:8081')");
  }
  out.subject = reader.String("avro-confluent.subject",
                              reader.String("avro-confluent.schema-registry.subject", ""));
  out.schema = reader.String("avro-confluent.schema",
                             reader.String("avro-confluent.schema-registry.schema", ""));

  std::string user_info = reader.String("avro-confluent.basic-auth.user-info", "");
  std::string basic_source = reader.String("avro-confluent.basic-auth.credentials-source", "");
  if (basic_source.empty() || basic_source == "USER_INFO") {
    if (basic_source == "USER_INFO" && user_info.empty()) {
      return Status::InvalidOption(
          "option 'avro-confluent.basic-auth.credentials-source' = 'USER_INFO' needs "
          "'avro-confluent.basic-auth.user-info' ('user:password')");
    }
    out.registry.basic_auth_user_info = user_info;
  } else if (basic_source == "URL") {
    // Credentials in the URL (http://user:password@host): curl uses them as they are.
  } else if (basic_source == "SASL_INHERIT") {
    return Status::Unsupported(
        "option 'avro-confluent.basic-auth.credentials-source' = 'SASL_INHERIT' is not "
        "supported; use 'USER_INFO' with 'avro-confluent.basic-auth.user-info'");
  } else {
    return Status::InvalidOption(
        "option 'avro-confluent.basic-auth.credentials-source' expects 'USER_INFO', 'URL' or "
        "'SASL_INHERIT', got '" +
        basic_source + "'");
  }
  std::string bearer_source = reader.String("avro-confluent.bearer-auth.credentials-source", "");
  if (!bearer_source.empty() && bearer_source != "STATIC_TOKEN") {
    return Status::Unsupported("option 'avro-confluent.bearer-auth.credentials-source' = '" +
                               bearer_source + "' is not supported; use 'STATIC_TOKEN'");
  }
  out.registry.bearer_token = reader.String("avro-confluent.bearer-auth.token", "");
  if (bearer_source == "STATIC_TOKEN" && out.registry.bearer_token.empty()) {
    return Status::InvalidOption(
        "option 'avro-confluent.bearer-auth.credentials-source' = 'STATIC_TOKEN' needs "
        "'avro-confluent.bearer-auth.token'");
  }
  out.registry.ssl_truststore_location =
      reader.String("avro-confluent.ssl.truststore.location", "");
  out.registry.ssl_keystore_location = reader.String("avro-confluent.ssl.keystore.location", "");
  out.registry.ssl_keystore_password = reader.String("avro-confluent.ssl.keystore.password", "");
  for (const std::string* location :
       {&out.registry.ssl_truststore_location, &out.registry.ssl_keystore_location}) {
    if (StoreHasExtension(*location, ".jks")) {
      return Status::Unsupported("Java keystore '" + *location +
                                 "' is not supported for the schema registry's TLS: give a PEM "
                                 "file (or PKCS#12 .p12 for the keystore)");
    }
  }
  return out;
}

namespace {

class AvroConfluentDecoder final : public RecordDecoder {
 public:
  AvroConfluentDecoder(const Schema& schema, AvroSchema reader,
                       std::shared_ptr<SchemaRegistry> registry, bool ignore_parse_errors)
      : schema_(schema),
        reader_(std::move(reader)),
        registry_(std::move(registry)),
        ignore_parse_errors_(ignore_parse_errors) {}

  const Schema& schema() const override { return schema_; }

  // Records are framed by the transport: nothing to split.
  size_t SplitRecords(std::string_view, bool, size_t,
                      std::vector<std::string_view>*) const override {
    return 0;
  }

  Status Decode(const RecordInput& input, Batch* out, DecodeResult* result) override;

 private:
  struct Entry {
    std::shared_ptr<const AvroRowProgram> program;
    std::string error;  // when there is no program
    std::chrono::steady_clock::time_point expires;
  };

  // The program for writer schema `id`, or null with the reason in *error (*retryable for a
  // registry that cannot be reached).
  const AvroRowProgram* Program(int32_t id, std::string* error, bool* retryable);

  Schema schema_;
  AvroSchema reader_;
  std::shared_ptr<SchemaRegistry> registry_;
  bool ignore_parse_errors_;
  std::unordered_map<int32_t, Entry> entries_;
  int32_t last_id_ = 0;
  const AvroRowProgram* last_program_ = nullptr;
  AvroRowSink sink_;
};

const AvroRowProgram* AvroConfluentDecoder::Program(int32_t id, std::string* error,
                                                    bool* retryable) {
  *retryable = false;
  const auto now = std::chrono::steady_clock::now();
  auto it = entries_.find(id);
  if (it != entries_.end() && (it->second.program || now < it->second.expires)) {
    *error = it->second.error;
    return it->second.program.get();
  }
  Entry entry;
  entry.expires = now + kNegativeCacheTime;
  Result<std::string> text = registry_->SchemaById(id);
  if (!text.ok()) {
    if (text.status().code() == ErrorCode::kIoError) {
      *retryable = true;
      *error = text.status().message();
      return nullptr;  // not remembered: the next record asks again
    }
    entry.error = text.status().message();
  } else {
    Result<AvroSchema> writer = AvroSchema::Parse(*text);
    if (!writer.ok()) {
      entry.error = "schema id " + std::to_string(id) + " from registry " + registry_->Describe() +
                    ": " + writer.status().message();
    } else {
      auto program = AvroRowProgram::Compile(*writer, schema_, reader_);
      if (!program.ok()) {
        entry.error = "writer schema id " + std::to_string(id) +
                      " cannot be read into the table: " + program.status().message();
      } else {
        entry.program = *program;
      }
    }
  }
  Entry& stored = entries_[id] = std::move(entry);
  *error = stored.error;
  return stored.program.get();
}

Status AvroConfluentDecoder::Decode(const RecordInput& input, Batch* out, DecodeResult* result) {
  *result = DecodeResult();
  const size_t count = input.records.size();
  SLUICE_RETURN_IF_ERROR(sink_.Begin(schema_, out, count, input.owner != nullptr));
  const size_t base = out->num_rows();
  size_t row = base;
  Status status;
  for (size_t r = 0; r < count; ++r) {
    const std::string_view record = input.records[r];
    const auto* data = reinterpret_cast<const uint8_t*>(record.data());
    const size_t size = record.size();
    std::string reason;
    if (size >= kHeaderSize && data[0] == 0) [[likely]] {
      uint32_t be;
      std::memcpy(&be, data + 1, 4);
      const int32_t id = static_cast<int32_t>(__builtin_bswap32(be));
      const AvroRowProgram* program = last_program_;
      if (id != last_id_ || program == nullptr) [[unlikely]] {
        bool retryable = false;
        program = Program(id, &reason, &retryable);
        if (retryable) {
          result->consumed = r;
          status = Status::IoError(reason);
          break;
        }
        last_id_ = id;
        last_program_ = program;
      }
      if (program) {
        if (program->DecodeRecord(data + kHeaderSize, size - kHeaderSize, &sink_, row)) [[likely]] {
          ++row;
          continue;
        }
        reason = std::move(sink_.reason());
        sink_.UndoRow(row);
      }
    } else if (size == 0) {
      reason = "empty record (not Confluent wire format)";
    } else if (data[0] != 0) {
      reason = "wrong magic byte " + HexByte(data[0]) + " (not Confluent wire format)";
    } else {
      reason = "record too short for the Confluent header (" + std::to_string(size) +
               " bytes, the header has 5)";
    }
    if (ignore_parse_errors_) {
      result->skipped.push_back({r, std::move(reason)});
      continue;
    }
    result->consumed = r;
    status = Status::DecodeError(std::move(reason));
    break;
  }
  if (status.ok()) result->consumed = count;
  sink_.End(out, row, input.owner);
  result->rows = row - base;
  return status;
}

class AvroConfluentEncoder final : public RecordEncoder {
 public:
  AvroConfluentEncoder(std::shared_ptr<SchemaRegistry> registry, std::string subject,
                       std::string schema_json, std::unique_ptr<AvroRowWriter> writer)
      : registry_(std::move(registry)),
        subject_(std::move(subject)),
        schema_json_(std::move(schema_json)),
        writer_(std::move(writer)) {}

  Status Encode(const Batch& batch, size_t begin, size_t end, std::string* out,
                std::vector<size_t>* row_ends) override {
    if (begin >= end) return Status::OK();
    if (!registered_) {
      Result<int32_t> id = registry_->Register(subject_, schema_json_);
      if (!id.ok()) {
        return id.status().WithContext("registering the table's Avro schema under subject '" +
                                       subject_ + "'");
      }
      header_[0] = 0;
      uint32_t be = __builtin_bswap32(static_cast<uint32_t>(*id));
      std::memcpy(header_ + 1, &be, 4);
      registered_ = true;
    }
    for (size_t row = begin; row < end; ++row) {
      out->append(header_, kHeaderSize);
      SLUICE_RETURN_IF_ERROR(writer_->AppendRow(batch, row, out));
      if (row_ends) row_ends->push_back(out->size());
    }
    return Status::OK();
  }

 private:
  std::shared_ptr<SchemaRegistry> registry_;
  std::string subject_;
  std::string schema_json_;
  std::unique_ptr<AvroRowWriter> writer_;
  char header_[kHeaderSize] = {0, 0, 0, 0, 0};
  bool registered_ = false;
};

// The reader schema: the explicit one, checked against the table, or the derived one.
Result<AvroSchema> ReaderSchema(const Schema& schema, const AvroConfluentOptions& options) {
  if (options.schema.empty()) return AvroSchemaFromTable(schema);
  Result<AvroSchema> parsed = AvroSchema::Parse(options.schema);
  if (!parsed.ok()) {
    return Status::InvalidOption("option 'avro-confluent.schema': " + parsed.status().message());
  }
  auto check = AvroRowProgram::Compile(*parsed, schema, *parsed);
  if (!check.ok()) {
    return Status::InvalidOption("option 'avro-confluent.schema' does not match the table: " +
                                 check.status().message());
  }
  return parsed;
}

Result<std::unique_ptr<RecordDecoder>> MakeDecoder(const Schema& schema, const Options& options) {
  SLUICE_ASSIGN_OR_RETURN(AvroConfluentOptions parsed, ParseAvroConfluentOptions(options));
  return MakeAvroConfluentRecordDecoder(schema, parsed);
}

Result<std::unique_ptr<RecordEncoder>> MakeEncoder(const Schema& schema, const Options& options) {
  SLUICE_ASSIGN_OR_RETURN(AvroConfluentOptions parsed, ParseAvroConfluentOptions(options));
  return MakeAvroConfluentRecordEncoder(schema, parsed);
}

}  // namespace

Result<std::unique_ptr<RecordDecoder>> MakeAvroConfluentRecordDecoder(
    const Schema& schema, const AvroConfluentOptions& options,
    std::shared_ptr<SchemaRegistry> registry) {
  SLUICE_ASSIGN_OR_RETURN(AvroSchema reader, ReaderSchema(schema, options));
  return std::unique_ptr<RecordDecoder>(std::make_unique<AvroConfluentDecoder>(
      schema, std::move(reader), std::move(registry), options.ignore_parse_errors));
}

Result<std::unique_ptr<RecordDecoder>> MakeAvroConfluentRecordDecoder(
    const Schema& schema, const AvroConfluentOptions& options) {
  return MakeAvroConfluentRecordDecoder(schema, options, SharedSchemaRegistry(options.registry));
}

Result<std::unique_ptr<RecordEncoder>> MakeAvroConfluentRecordEncoder(
    const Schema& schema, const AvroConfluentOptions& options,
    std::shared_ptr<SchemaRegistry> registry) {
  if (options.subject.empty()) {
    return Status::InvalidOption(
        "format 'avro-confluent' needs option 'avro-confluent.subject' to write (the schema "
        "registry subject to register the table's schema under; the Kafka connector uses "
        "'<topic>-value' / '<topic>-key' by default)");
  }
  SLUICE_ASSIGN_OR_RETURN(AvroSchema writer_schema, ReaderSchema(schema, options));
  std::string schema_json = options.schema.empty() ? writer_schema.ToJson() : options.schema;
  auto writer = AvroRowWriter::Make(writer_schema, schema);
  if (!writer.ok()) {
    return Status::InvalidOption(
        "option 'avro-confluent.schema' cannot be written from the "
        "table: " +
        writer.status().message());
  }
  return std::unique_ptr<RecordEncoder>(std::make_unique<AvroConfluentEncoder>(
      std::move(registry), options.subject, std::move(schema_json), std::move(*writer)));
}

Result<std::unique_ptr<RecordEncoder>> MakeAvroConfluentRecordEncoder(
    const Schema& schema, const AvroConfluentOptions& options) {
  if (options.subject.empty()) {
    return MakeAvroConfluentRecordEncoder(schema, options, nullptr);  // the subject error
  }
  return MakeAvroConfluentRecordEncoder(schema, options, SharedSchemaRegistry(options.registry));
}

const FormatSpec kAvroConfluentFormat = {
    .name = "avro-confluent",
    .file_extension = "avro",
    .options =
        {
            {"avro-confluent.url", "", "Schema registry URL (required)."},
            {"avro-confluent.subject", "", "Subject the written schema is registered under."},
            {"avro-confluent.schema", "", "Explicit Avro schema instead of the table's."},
            {"avro-confluent.basic-auth.credentials-source", "", "USER_INFO or URL."},
            {"avro-confluent.basic-auth.user-info", "", "'user:password' for basic auth."},
            {"avro-confluent.bearer-auth.credentials-source", "", "STATIC_TOKEN."},
            {"avro-confluent.bearer-auth.token", "", "Bearer token."},
            {"avro-confluent.ssl.keystore.location", "", "Client certificate (PEM or .p12)."},
            {"avro-confluent.ssl.keystore.password", "", "Its password."},
            {"avro-confluent.ssl.truststore.location", "", "CA bundle (PEM)."},
            {"avro-confluent.ssl.truststore.password", "", "Accepted (PEM needs none)."},
            {"avro-confluent.schema-registry.url", "", "Fallback key of avro-confluent.url."},
            {"avro-confluent.schema-registry.subject", "", "Fallback of avro-confluent.subject."},
            {"avro-confluent.schema-registry.schema", "", "Fallback of avro-confluent.schema."},
        },
    .framed_by_transport = true,
    .make_decoder = MakeDecoder,
    .make_encoder = MakeEncoder,
};

}  // namespace sluice
