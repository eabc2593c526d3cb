#include "connectors/duckdb/duckdb_database.h"

#include <filesystem>
#include <map>
#include <thread>

namespace sluice {

namespace {

// Open databases by canonical path. An entry stays until its database is closed (under the
// lock), so a file is never opened again while its last user is still closing it. Both are
// leaked on purpose: databases may be closed during static destruction.
std::mutex& RegistryMutex() {
  static auto* mutex = new std::mutex;
  return *mutex;
}

struct RegistryEntry {
  std::weak_ptr<DuckDbDatabase> database;
  const DuckDbDatabase* raw = nullptr;
};

std::map<std::string, RegistryEntry>& Registry() {
  static auto* registry = new std::map<std::string, RegistryEntry>;
  return *registry;
}

std::string CanonicalPath(const std::string& path) {
  if (path == ":memory:") return path;
  std::error_code ec;
  std::filesystem::path p = std::filesystem::weakly_canonical(std::filesystem::absolute(path), ec);
  return ec ? path : p.string();
}

}  // namespace

DuckDbConnection::DuckDbConnection(DuckDbConnection&& other) noexcept
    : database_(std::move(other.database_)), connection_(other.connection_) {
  other.connection_ = nullptr;
}

DuckDbConnection& DuckDbConnection::operator=(DuckDbConnection&& other) noexcept {
  if (this != &other) {
    if (connection_) duckdb_disconnect(&connection_);
    database_ = std::move(other.database_);
    connection_ = other.connection_;
    other.connection_ = nullptr;
  }
  return *this;
}

DuckDbConnection::~DuckDbConnection() {
  if (connection_) duckdb_disconnect(&connection_);
}

Status DuckDbConnection::Execute(const std::string& sql, ErrorCode code) {
  duckdb_result result;
  duckdb_state state = duckdb_query(connection_, sql.c_str(), &result);
  Status status;
  if (state == DuckDBError) {
    const char* error = duckdb_result_error(&result);
    status = Status(code, std::string("DuckDB: ") + (error ? error : "unknown error"),
                    code == ErrorCode::kSinkError);
  }
  duckdb_destroy_result(&result);
  return status;
}

Result<std::vector<std::vector<std::optional<std::string>>>> DuckDbConnection::QueryText(
    const std::string& sql, ErrorCode code) {
  duckdb_result result;
  if (duckdb_query(connection_, sql.c_str(), &result) == DuckDBError) {
    const char* error = duckdb_result_error(&result);
    Status status(code, std::string("DuckDB: ") + (error ? error : "unknown error"),
                  code == ErrorCode::kSinkError);
    duckdb_destroy_result(&result);
    return status;
  }
  std::vector<std::vector<std::optional<std::string>>> rows;
  const idx_t row_count = duckdb_row_count(&result);
  const idx_t column_count = duckdb_column_count(&result);
  for (idx_t r = 0; r < row_count; ++r) {
    std::vector<std::optional<std::string>> row;
    for (idx_t c = 0; c < column_count; ++c) {
      if (duckdb_value_is_null(&result, c, r)) {
        row.emplace_back(std::nullopt);
        continue;
      }
      char* text = duckdb_value_varchar(&result, c, r);
      row.emplace_back(text ? std::string(text) : std::string());
      duckdb_free(text);
    }
    rows.push_back(std::move(row));
  }
  duckdb_destroy_result(&result);
  return rows;
}

Result<duckdb_database> DuckDbDatabase::OpenHandle(const std::string& path, bool read_only) {
  duckdb_config config = nullptr;
  if (duckdb_create_config(&config) == DuckDBError) {
    return Status::Internal("DuckDB: cannot create a configuration");
  }
  if (read_only) {
    duckdb_set_config(config, "access_mode", "READ_ONLY");
  } else if (path != ":memory:") {
    // A warehouse path like 'out/warehouse.duckdb' works without creating 'out/' first.
    std::error_code ec;
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  }
  duckdb_database database = nullptr;
  char* error = nullptr;
  duckdb_state state = duckdb_open_ext(path.c_str(), &database, config, &error);
  duckdb_destroy_config(&config);
  if (state == DuckDBError) {
    std::string message = error ? error : "unknown error";
    if (error) duckdb_free(error);
    return Status::IoError("DuckDB: cannot open '" + path + "': " + message);
  }
  return database;
}

Result<std::shared_ptr<DuckDbDatabase>> DuckDbDatabase::Open(const std::string& path) {
  const std::string canonical = CanonicalPath(path);
  while (true) {
    {
      std::lock_guard<std::mutex> lock(RegistryMutex());
      auto it = Registry().find(canonical);
      if (it == Registry().end()) {
        SLUICE_ASSIGN_OR_RETURN(duckdb_database handle, OpenHandle(path, /*read_only=*/false));
        std::shared_ptr<DuckDbDatabase> database(new DuckDbDatabase(canonical, handle, true));
        Registry()[canonical] = {database, database.get()};
        return database;
      }
      if (auto existing = it->second.database.lock()) return existing;
    }
    std::this_thread::yield();  // its last user is closing it: wait until it is gone
  }
}

std::shared_ptr<DuckDbDatabase> DuckDbDatabase::FindOpen(const std::string& path) {
  const std::string canonical = CanonicalPath(path);
  std::lock_guard<std::mutex> lock(RegistryMutex());
  auto it = Registry().find(canonical);
  return it == Registry().end() ? nullptr : it->second.database.lock();
}

Result<std::shared_ptr<DuckDbDatabase>> DuckDbDatabase::OpenReadOnly(const std::string& path) {
  SLUICE_ASSIGN_OR_RETURN(duckdb_database handle, OpenHandle(path, /*read_only=*/true));
  return std::shared_ptr<DuckDbDatabase>(new DuckDbDatabase(CanonicalPath(path), handle, false));
}

DuckDbDatabase::~DuckDbDatabase() {
  if (!shared_) {
    duckdb_close(&database_);
    return;
  }
  std::lock_guard<std::mutex> lock(RegistryMutex());
  duckdb_close(&database_);
  auto it = Registry().find(path_);
  if (it != Registry().end() && it->second.raw == this) Registry().erase(it);
}

Result<DuckDbConnection> DuckDbDatabase::Connect() {
  DuckDbConnection connection;
  if (duckdb_connect(database_, &connection.connection_) == DuckDBError) {
    return Status::SinkError("DuckDB: cannot connect to '" + path_ + "'");
  }
  connection.database_ = shared_from_this();
  return connection;
}

std::string QuoteDuckDbIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string QuoteDuckDbLiteral(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

}  // namespace sluice
