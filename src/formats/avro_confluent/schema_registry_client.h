#pragma once
// Confluent Schema Registry client (also Apicurio's ccompat API and Redpanda's registry): the two
// calls the avro-confluent format needs, over HTTP with libcurl, behind an interface so tests use
// an in-memory registry.
//
//   GET  {url}/schemas/ids/{id}                -> {"schema": "..."}
//   POST {url}/subjects/{subject}/versions     {"schema": "..."} -> {"id": N}; a schema already
//        registered under the subject returns its existing id. When registering is refused
//        (401/403: a read-only key), the schema is looked up instead (POST
//        {url}/subjects/{subject}).
//
// SharedSchemaRegistry() hands out one caching client per distinct configuration for the whole
// process: schemas by id and ids by (subject, schema) are fetched once and shared by every
// reader and writer thread. Failures are not cached there (callers keep their own short negative
// caches).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/status.h"

namespace sluice {

class SchemaRegistry {
 public:
  virtual ~SchemaRegistry() = default;

  /// The schema text registered under `id`. NotFound for an unknown id; IoError (retryable) when
  /// the registry cannot be reached or answers 5xx. Messages name the registry and HTTP status.
  virtual Result<std::string> SchemaById(int32_t id) = 0;
  /// Registers `schema_json` under `subject`, or finds it there; returns its id.
  virtual Result<int32_t> Register(const std::string& subject, const std::string& schema_json) = 0;
  /// The registry for messages: its URL.
  virtual std::string Describe() const = 0;
};

struct SchemaRegistryConfig {
  /// Base URL, e.g. "http://127.0.0.1:8085/apis/ccompat/v7". Several, comma-separated, are
  /// tried in order when one cannot be reached.
  std::string url;
  /// "user:password" for HTTP basic auth (avro-confluent.basic-auth.user-info).
  std::string basic_auth_user_info;
  /// Bearer token (avro-confluent.bearer-auth.token).
  std::string bearer_token;
  /// PEM files (curl's CA bundle / client certificate); a .p12/.pfx keystore is passed to curl
  /// as P12 with its password.
  std::string ssl_truststore_location;
  std::string ssl_keystore_location;
  std::string ssl_keystore_password;
  int64_t connect_timeout_ms = 5000;
  int64_t request_timeout_ms = 10000;
  /// Attempts per request when the registry cannot be reached or answers 5xx.
  int max_attempts = 3;

  /// Identity for the process-wide cache.
  std::string Key() const;
};

/// The libcurl client, without caching.
std::unique_ptr<SchemaRegistry> MakeHttpSchemaRegistry(const SchemaRegistryConfig& config);

/// Whether a key/trust store path ends with `extension` (lower case, ".p12"), ignoring case: the
/// store's type is told by its name.
bool StoreHasExtension(std::string_view path, std::string_view extension);

/// The process-wide caching client for `config` (thread-safe).
std::shared_ptr<SchemaRegistry> SharedSchemaRegistry(const SchemaRegistryConfig& config);

/// Test seam: registries made by SharedSchemaRegistry() afterwards wrap `factory(config)` instead
/// of the HTTP client (an empty function restores it). Drops the process-wide cache.
using SchemaRegistryFactory =
    std::function<std::shared_ptr<SchemaRegistry>(const SchemaRegistryConfig&)>;
void SetSchemaRegistryFactoryForTesting(SchemaRegistryFactory factory);

/// A registry in memory (tests): ids from 1 in registration order, one id per distinct schema
/// text. Thread-safe; counts calls so tests can check caching.
class InMemorySchemaRegistry : public SchemaRegistry {
 public:
  explicit InMemorySchemaRegistry(std::string url = "mem://registry") : url_(std::move(url)) {}

  Result<std::string> SchemaById(int32_t id) override;
  Result<int32_t> Register(const std::string& subject, const std::string& schema_json) override;
  std::string Describe() const override { return url_; }

  /// Stores `schema_json` under a chosen id (as another producer would have).
  void Put(int32_t id, const std::string& schema_json);
  /// Makes every call fail with IoError (an unreachable registry) while set.
  void SetUnreachable(bool unreachable);
  int lookups() const;
  int registrations() const;

 private:
  mutable std::mutex mu_;
  std::string url_;
  std::map<int32_t, std::string> by_id_;
  std::map<std::string, int32_t> by_schema_;
  std::map<std::string, std::vector<int32_t>> subjects_;
  int32_t next_id_ = 1;
  bool unreachable_ = false;
  int lookups_ = 0;
  int registrations_ = 0;
};

}  // namespace sluice
