#pragma once
// DuckDbDatabase: one open DuckDB database per file per process. DuckDB allows a single
// read-write instance of a file, so every sink table and parallel writer that names the same
// file shares it; it is closed when the last user lets go (reference counted).
//
// DuckDbConnection: one per user and thread (DuckDB connections are not shared between
// threads); it keeps its database open.

#include <duckdb.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sluice {

class DuckDbDatabase;

class DuckDbConnection {
 public:
  DuckDbConnection() = default;
  DuckDbConnection(DuckDbConnection&& other) noexcept;
  DuckDbConnection& operator=(DuckDbConnection&& other) noexcept;
  DuckDbConnection(const DuckDbConnection&) = delete;
  DuckDbConnection& operator=(const DuckDbConnection&) = delete;
  ~DuckDbConnection();

  duckdb_connection handle() const { return connection_; }
  /// Runs `sql`; a DuckDB error becomes a Status with `code` and DuckDB's message.
  Status Execute(const std::string& sql, ErrorCode code = ErrorCode::kSinkError);
  /// Runs a small query and returns its cells as text (NULL as nullopt), row by row.
  Result<std::vector<std::vector<std::optional<std::string>>>> QueryText(
      const std::string& sql, ErrorCode code = ErrorCode::kSinkError);

 private:
  friend class DuckDbDatabase;
  std::shared_ptr<DuckDbDatabase> database_;
  duckdb_connection connection_ = nullptr;
};

class DuckDbDatabase : public std::enable_shared_from_this<DuckDbDatabase> {
 public:
  /// The shared read-write database of `path` (':memory:' is one shared in-memory database),
  /// opened on first use.
  static Result<std::shared_ptr<DuckDbDatabase>> Open(const std::string& path);
  /// The shared database of `path` if this process has it open, else null.
  static std::shared_ptr<DuckDbDatabase> FindOpen(const std::string& path);
  /// A private read-only instance (for queries while no writer has the file open).
  static Result<std::shared_ptr<DuckDbDatabase>> OpenReadOnly(const std::string& path);

  ~DuckDbDatabase();
  DuckDbDatabase(const DuckDbDatabase&) = delete;
  DuckDbDatabase& operator=(const DuckDbDatabase&) = delete;

  Result<DuckDbConnection> Connect();
  const std::string& path() const { return path_; }
  /// Serializes catalog changes (CREATE TABLE) of the tables that share this database.
  std::mutex& schema_mutex() { return schema_mutex_; }
  /// Serializes the exactly-once sinks' commit transactions on this database: they would only
  /// conflict with each other in DuckDB's optimistic concurrency control.
  std::mutex& commit_mutex() { return commit_mutex_; }

 private:
  DuckDbDatabase(std::string path, duckdb_database database, bool shared)
      : path_(std::move(path)), database_(database), shared_(shared) {}
  static Result<duckdb_database> OpenHandle(const std::string& path, bool read_only);

  std::string path_;  // canonical
  duckdb_database database_ = nullptr;
  bool shared_;
  std::mutex schema_mutex_;
  std::mutex commit_mutex_;
};

/// "name" with embedded quotes doubled.
std::string QuoteDuckDbIdentifier(std::string_view name);
/// 'text' with embedded quotes doubled.
std::string QuoteDuckDbLiteral(std::string_view text);

}  // namespace sluice
