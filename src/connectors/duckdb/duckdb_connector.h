#pragma once
// 'connector' = 'duckdb': a sink into a table of a DuckDB database file (duckdb_sink.h).
//
//   path                          Required. Database file (created when missing), or ':memory:'.
//   table-name                    Default: the SQL table's name. One identifier in the main
//                                 schema.
//   sink.buffer-flush.max-rows    Default: 100000. Flush after this many buffered rows.
//   sink.buffer-flush.interval    Default: '1 s'. Flush when this long has passed since the last
//                                 flush (checked when rows arrive).
//
// An updating result needs PRIMARY KEY (...) NOT ENFORCED on the sink table.

#include "connectors/connector.h"

namespace sluice {

extern const ConnectorSpec kDuckDbConnector;

}  // namespace sluice
