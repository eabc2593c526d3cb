#include "connectors/duckdb/duckdb_connector.h"

#include "connectors/duckdb/duckdb_sink.h"
#include "formats/option_reader.h"
#include "runtime/session_config.h"

namespace sluice {

namespace {

Result<std::unique_ptr<Sink>> MakeDuckDbSink(const TableContext& context) {
  const TableDef& table = *context.table;
  OptionReader reader(table.options);
  DuckDbSinkConfig config;
  config.path = reader.String("path", "");
  if (config.path.empty()) return Status::InvalidOption("connector 'duckdb' needs option 'path'");
  config.table = reader.String("table-name", table.name);
  config.schema = context.physical_schema;
  // The primary key as positions among the physical columns.
  const std::vector<int> physical = table.PhysicalColumnIndices();
  for (int k : table.primary_key) {
    for (size_t p = 0; p < physical.size(); ++p) {
      if (physical[p] == k) config.primary_key.push_back(static_cast<int>(p));
    }
  }
  if (context.updating && config.primary_key.empty()) {
    return Status::InvalidArgument(
        "updating result needs PRIMARY KEY (...) NOT ENFORCED on table '" + table.name +
        "' to write it to DuckDB (rows are upserted and deleted by that key)");
  }
  SLUICE_ASSIGN_OR_RETURN(config.max_buffered_rows,
                          reader.Int("sink.buffer-flush.max-rows", 100'000, 1));
  auto interval = ParseDuration(reader.String("sink.buffer-flush.interval", "1 s"));
  if (!interval.ok()) return interval.status().WithContext("option 'sink.buffer-flush.interval'");
  config.flush_interval_micros = *interval;
  const std::string guarantee = reader.String("sink.delivery-guarantee", "exactly-once");
  if (guarantee != "exactly-once" && guarantee != "at-least-once") {
    return Status::InvalidOption("option 'sink.delivery-guarantee' is '" + guarantee +
                                 "'; expected 'exactly-once' or 'at-least-once'");
  }
  config.exactly_once = guarantee == "exactly-once";
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<DuckDbSink> sink, DuckDbSink::Make(std::move(config)));
  return std::unique_ptr<Sink>(std::move(sink));
}

}  // namespace

const ConnectorSpec kDuckDbConnector = {
    .name = "duckdb",
    .description = "Writes rows into a DuckDB table (appends, or upserts by primary key).",
    .options =
        {
            {"path", "", "DuckDB database file, or ':memory:'.", true},
            {"table-name", "", "DuckDB table; default: the SQL table's name."},
            {"sink.buffer-flush.max-rows", "100000", "Flush after this many buffered rows."},
            {"sink.buffer-flush.interval", "1 s", "Flush this long after the last flush."},
            {"sink.delivery-guarantee", "exactly-once",
             "exactly-once (when the job takes checkpoints: rows are staged and become visible "
             "when their checkpoint completes) or at-least-once."},
        },
    .make_sink = MakeDuckDbSink,
};

}  // namespace sluice
