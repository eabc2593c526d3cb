#include "connectors/duckdb/duckdb_transaction.h"

#include <chrono>
#include <thread>

#include "common/crash_point.h"

namespace sluice {

namespace {

constexpr int kAttempts = 8;

Status RunOnce(DuckDbConnection& connection, const std::function<Status()>& body,
               std::string_view crash_point) {
  SLUICE_RETURN_IF_ERROR(connection.Execute("BEGIN TRANSACTION"));
  Status status = body();
  if (status.ok()) {
    if (!crash_point.empty()) CrashPoint(crash_point);
    status = connection.Execute("COMMIT");
  }
  // A failed COMMIT leaves DuckDB's transaction aborted: roll it back too.
  if (!status.ok()) connection.Execute("ROLLBACK").IgnoreError();
  return status;
}

}  // namespace

bool IsDuckDbConflict(const Status& status) {
  return status.message().find("onflict") != std::string::npos;
}

Status RunDuckDbTransaction(DuckDbConnection& connection, const std::function<Status()>& body,
                            std::string_view crash_point) {
  Status status = RunOnce(connection, body, crash_point);
  for (int attempt = 1; !status.ok() && IsDuckDbConflict(status) && attempt < kAttempts;
       ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt));
    status = RunOnce(connection, body, crash_point);
  }
  return status;
}

}  // namespace sluice
