#include "connectors/filesystem/filesystem_connector.h"

#include "common/memory_size.h"
#include "connectors/dead_letter/dead_letter_writer.h"
#include "connectors/filesystem/file_sink.h"
#include "connectors/filesystem/file_source.h"
#include "formats/option_reader.h"
#include "runtime/session_config.h"

namespace sluice {

namespace {

Result<const FormatSpec*> TableFormat(const OptionReader& reader) {
  if (!reader.Has("format")) {
    return Status::InvalidOption("connector 'filesystem' needs option 'format'");
  }
  return FindFormat(reader.String("format", ""));
}

Result<std::string> TablePath(const OptionReader& reader) {
  std::string path = reader.String("path", "");
  if (path.empty()) return Status::InvalidOption("connector 'filesystem' needs option 'path'");
  return path;
}

Result<int64_t> DurationOption(const OptionReader& reader, const char* key, const char* fallback) {
  auto micros = ParseDuration(reader.String(key, fallback));
  if (!micros.ok()) return micros.status().WithContext(std::string("option '") + key + "'");
  return *micros;
}

Result<std::unique_ptr<Source>> MakeFileSource(const TableContext& context) {
  const Options& options = context.table->options;
  OptionReader reader(options);
  SLUICE_ASSIGN_OR_RETURN(std::string path, TablePath(reader));
  SLUICE_ASSIGN_OR_RETURN(const FormatSpec* format, TableFormat(reader));
  if (reader.Has("source.monitor-interval")) {
    SLUICE_RETURN_IF_ERROR(DurationOption(reader, "source.monitor-interval", "").status());
  }
  // Checks the format options now; each reader makes its own decoder.
  SLUICE_ASSIGN_OR_RETURN(auto decoder, format->make_decoder(context.physical_schema, options));
  if (format->framed_by_transport) {
    // Formats of message transports (avro, raw) cannot find records in a file; debezium-json
    // frames JSON lines and may be read.
    std::vector<std::string_view> records;
    if (decoder->SplitRecords("{}\n", /*at_end=*/true, 1, &records) == 0) {
      return Status::Unsupported("table '" + context.table->name + "' (filesystem): format '" +
                                 std::string(format->name) +
                                 "' is framed by a message transport (one Kafka message per "
                                 "record) and cannot read files");
    }
  }
  SLUICE_RETURN_IF_ERROR(CheckDeadLetterOptions(options));
  return std::unique_ptr<Source>(std::make_unique<FileSource>(path, format, context));
}

Result<std::unique_ptr<Sink>> MakeFileSink(const TableContext& context) {
  const Options& options = context.table->options;
  OptionReader reader(options);
  if (context.updating) {
    // Flink's filesystem sink is append-only too.
    return Status::Unsupported("table '" + context.table->name +
                               "' (filesystem) only accepts inserts, but the query produces "
                               "updates; write it to an upsert-capable connector (duckdb)");
  }
  FileSinkConfig config;
  SLUICE_ASSIGN_OR_RETURN(config.directory, TablePath(reader));
  SLUICE_ASSIGN_OR_RETURN(config.format, TableFormat(reader));
  if (config.format->framed_by_transport) {
    return Status::Unsupported("table '" + context.table->name + "' (filesystem): format '" +
                               std::string(config.format->name) +
                               "' is framed by a message transport and cannot write files");
  }
  config.schema = context.physical_schema;
  config.options = options;
  auto size = ParseMemorySize(reader.String("sink.rolling-policy.file-size", "128MB"));
  if (!size.ok()) return size.status().WithContext("option 'sink.rolling-policy.file-size'");
  if (*size <= 0) {
    return Status::InvalidOption("option 'sink.rolling-policy.file-size' must be positive");
  }
  config.file_size_bytes = *size;
  SLUICE_ASSIGN_OR_RETURN(
      config.rollover_interval_micros,
      DurationOption(reader, "sink.rolling-policy.rollover-interval", "30 min"));
  SLUICE_RETURN_IF_ERROR(
      DurationOption(reader, "sink.rolling-policy.check-interval", "1 min").status());
  SLUICE_RETURN_IF_ERROR(config.format->make_encoder(config.schema, options).status());
  return std::unique_ptr<Sink>(std::make_unique<FileSink>(std::move(config)));
}

}  // namespace

const ConnectorSpec kFilesystemConnector = {
    .name = "filesystem",
    .description =
        "Files of a text format (json, csv): read a file or directory, write part "
        "files into a directory.",
    .options =
        {
            {"path", "", "File or directory to read; directory to write.", true},
            {"format", "", "Record format: json or csv.", true},
            {"source.monitor-interval", "", "Accepted; directories are read once."},
            {"dead-letter.path", "",
             "Source: write undecodable records as JSON lines to this file or directory."},
            {"dead-letter.topic", "", "Source: send undecodable records to this Kafka topic."},
            {"sink.rolling-policy.file-size", "128MB", "Roll part files at this size."},
            {"sink.rolling-policy.rollover-interval", "30 min", "Roll part files open this long."},
            {"sink.rolling-policy.check-interval", "1 min", "Accepted; checked on every write."},
        },
    .make_source = MakeFileSource,
    .make_sink = MakeFileSink,
};

}  // namespace sluice
