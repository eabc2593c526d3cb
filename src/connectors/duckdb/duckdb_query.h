#pragma once
// RunDuckDbQuery: `sluice query FILE.duckdb "SQL"` — runs SQL against a DuckDB file and prints
// the result as an aligned table:
//
//   customer_id | orders | revenue
//   ------------+--------+--------
//   cust-0001   |      3 |   42.50
//   (1 row)
//
// The file is opened read-only, unless this process already has it open (a running sink), in
// which case a connection to that database is used. Numbers are right-aligned. DuckDB errors
// (bad SQL, missing file) are InvalidArgument with DuckDB's message.

#include <ostream>
#include <string>

#include "common/status.h"

namespace sluice {

Status RunDuckDbQuery(const std::string& path, const std::string& sql, std::ostream& out);

}  // namespace sluice
