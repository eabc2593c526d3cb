#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "connectors/duckdb/duckdb_query.h"
#include "exec/physical_planner/pipeline_connectors.h"
#include "sql/planner/script_compiler.h"

namespace sluice::cli {

int ReportError(const Status& status) {
  std::cerr << "error: " << status.message() << "\n";
  return status.domain() == ErrorDomain::kUser ? 2 : 1;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument("cannot read '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int ValidateCommand(const std::string& file) {
  auto sql = ReadFile(file);
  if (!sql.ok()) return ReportError(sql.status());
  auto compiled = sql::CompileScript(*sql);
  if (!compiled.ok()) return ReportError(compiled.status().WithContext(file));
  // Creating the sources and sinks checks option values and inputs (no data is read or written).
  auto connectors = PipelineConnectors::Create(compiled->plan, compiled->session,
                                               compiled->session.Parallelism(), {});
  if (!connectors.ok()) return ReportError(connectors.status().WithContext(file));
  std::cout << file << ": OK (" << compiled->plan.sinks.size() << " sink"
            << (compiled->plan.sinks.size() == 1 ? "" : "s") << ")\n";
  return 0;
}

int QueryCommand(const std::string& database, const std::string& sql) {
  Status status = RunDuckDbQuery(database, sql, std::cout);
  return status.ok() ? 0 : ReportError(status);
}

}  // namespace sluice::cli
