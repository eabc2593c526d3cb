#include "formats/avro_confluent/schema_registry_client.h"

#include <curl/curl.h>
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "formats/json/json_encoder.h"

namespace sluice {

std::string SchemaRegistryConfig::Key() const {
  return url + '\x1f' + basic_auth_user_info + '\x1f' + bearer_token + '\x1f' +
         ssl_truststore_location + '\x1f' + ssl_keystore_location + '\x1f' + ssl_keystore_password +
         '\x1f' + std::to_string(connect_timeout_ms) + '\x1f' + std::to_string(request_timeout_ms) +
         '\x1f' + std::to_string(max_attempts);
}

namespace {

// ---- HTTP --------------------------------------------------------------------------------------

struct HttpResponse {
  long status = 0;
  std::string body;
};

size_t CollectBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

bool IsTransient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
      return true;
    default:
      return false;
  }
}

// The registry's {"error_code": 40403, "message": "..."} message, or the body's start.
std::string ErrorDetail(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string_view message;
  if (parser.parse(body).get(root) == simdjson::SUCCESS &&
      root["message"].get_string().get(message) == simdjson::SUCCESS) {
    return std::string(message);
  }
  std::string shown = body.substr(0, 200);
  for (char& c : shown) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return shown;
}

class HttpSchemaRegistry final : public SchemaRegistry {
 public:
  explicit HttpSchemaRegistry(SchemaRegistryConfig config) : config_(std::move(config)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    size_t start = 0;
    while (start <= config_.url.size()) {
      size_t comma = config_.url.find(',', start);
      std::string one =
          config_.url.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      while (!one.empty() && one.front() == ' ') one.erase(0, 1);
      while (!one.empty() && (one.back() == ' ' || one.back() == '/')) one.pop_back();
      if (!one.empty()) urls_.push_back(std::move(one));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (urls_.empty()) urls_.push_back("");
  }

  std::string Describe() const override { return urls_.front(); }

  Result<std::string> SchemaById(int32_t id) override {
    SLUICE_ASSIGN_OR_RETURN(HttpResponse r,
                            Request("GET", "/schemas/ids/" + std::to_string(id), ""));
    if (r.status == 404) {
      return Status::NotFound("unknown schema id " + std::to_string(id) + " (registry " +
                              Describe() + ": 404 " + ErrorDetail(r.body) + ")");
    }
    if (r.status != 200) {
      return HttpError("GET /schemas/ids/" + std::to_string(id), r);
    }
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    std::string_view schema;
    if (parser.parse(r.body).get(root) || root["schema"].get_string().get(schema)) {
      return Status::IoError("schema registry " + Describe() + ": GET /schemas/ids/" +
                             std::to_string(id) +
                             " returned no 'schema': " + r.body.substr(0, 200));
    }
    std::string_view type;
    if (root["schemaType"].get_string().get(type) == simdjson::SUCCESS && type != "AVRO") {
      return Status::InvalidArgument("schema id " + std::to_string(id) + " is a " +
                                     std::string(type) + " schema, not Avro (registry " +
                                     Describe() + ")");
    }
    return std::string(schema);
  }

  Result<int32_t> Register(const std::string& subject, const std::string& schema_json) override {
    std::string body = "{\"schema\":";
    AppendJsonString(schema_json, &body);
    body += "}";
    const std::string path = "/subjects/" + Escape(subject);
    SLUICE_ASSIGN_OR_RETURN(HttpResponse r, Request("POST", path + "/versions", body));
    if (r.status == 401 || r.status == 403) {
      // Not allowed to register: the schema may already be there.
      SLUICE_ASSIGN_OR_RETURN(HttpResponse lookup, Request("POST", path, body));
      if (lookup.status == 200) return IdOf(lookup, "POST " + path);
      return HttpError("POST " + path +
                           "/versions (registering is refused, and looking the "
                           "schema up answered " +
                           std::to_string(lookup.status) + ")",
                       r);
    }
    if (r.status == 409) {
      return Status(ErrorCode::kSinkError,
                    "schema registry " + Describe() + " refuses the table's schema for subject '" +
                        subject + "' as incompatible (409 " + ErrorDetail(r.body) + ")",
                    /*retryable=*/false);
    }
    if (r.status == 422) {
      return Status::InvalidArgument("schema registry " + Describe() +
                                     " rejects the schema for "
                                     "subject '" +
                                     subject + "' (422 " + ErrorDetail(r.body) + ")");
    }
    if (r.status != 200) return HttpError("POST " + path + "/versions", r);
    return IdOf(r, "POST " + path + "/versions");
  }

 private:
  Result<int32_t> IdOf(const HttpResponse& r, const std::string& what) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    int64_t id = 0;
    if (parser.parse(r.body).get(root) || root["id"].get_int64().get(id) || id < INT32_MIN ||
        id > INT32_MAX) {
      return Status::IoError("schema registry " + Describe() + ": " + what +
                             " returned no 'id': " + r.body.substr(0, 200));
    }
    return static_cast<int32_t>(id);
  }

  Status HttpError(const std::string& what, const HttpResponse& r) {
    Status s(ErrorCode::kIoError,
             "schema registry " + Describe() + ": " + what + " answered HTTP " +
                 std::to_string(r.status) + " " + ErrorDetail(r.body),
             /*retryable=*/r.status >= 500 || r.status == 429);
    return s;
  }

  std::string Escape(const std::string& s) {
    CURL* curl = curl_easy_init();
    std::string out = s;
    if (curl) {
      char* escaped = curl_easy_escape(curl, s.data(), static_cast<int>(s.size()));
      if (escaped) {
        out = escaped;
        curl_free(escaped);
      }
      curl_easy_cleanup(curl);
    }
    return out;
  }

  Result<HttpResponse> Request(const std::string& method, const std::string& path,
                               const std::string& body) {
    std::string last_error;
    const int attempts = std::max(1, config_.max_attempts);
    for (int attempt = 0; attempt < attempts; ++attempt) {
      if (attempt > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100 << std::min(attempt - 1, 5)));
      }
      // Each URL in turn; the first one that answers decides.
      for (size_t u = 0; u < urls_.size(); ++u) {
        const size_t index = (preferred_.load(std::memory_order_relaxed) + u) % urls_.size();
        const std::string& base = urls_[index];
        HttpResponse response;
        CURLcode code = Perform(base + path, method, body, &response, &last_error);
        if (code == CURLE_OK) {
          preferred_.store(index, std::memory_order_relaxed);
          if (response.status >= 500 || response.status == 429) {
            last_error =
                "HTTP " + std::to_string(response.status) + " " + ErrorDetail(response.body);
            break;  // retried after a pause
          }
          return response;
        }
        if (!IsTransient(code)) {
          return Status(
              ErrorCode::kIoError,
              "schema registry " + base + ": " + method + " " + path + " failed: " + last_error,
              false);
        }
      }
    }
    return Status::IoError("schema registry " + Describe() + ": " + method + " " + path +
                           " failed after " + std::to_string(attempts) +
                           " attempts: " + last_error);
  }

  CURLcode Perform(const std::string& url, const std::string& method, const std::string& body,
                   HttpResponse* response, std::string* error) {
    CURL* curl = curl_easy_init();
    if (!curl) {
      *error = "curl_easy_init failed";
      return CURLE_FAILED_INIT;
    }
    char error_buffer[CURL_ERROR_SIZE] = {0};
    struct curl_slist* headers = nullptr;
    headers = curl_slist_append(headers,
                                "Accept: application/vnd.schemaregistry.v1+json, "
                                "application/vnd.schemaregistry+json, application/json");
    if (method == "POST") {
      headers = curl_slist_append(headers, "Content-Type: application/vnd.schemaregistry.v1+json");
      curl_easy_setopt(curl, CURLOPT_POST, 1L);
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    std::string auth_header;
    if (!config_.bearer_token.empty()) {
      auth_header = "Authorization: Bearer " + config_.bearer_token;
      headers = curl_slist_append(headers, auth_header.c_str());
    } else if (!config_.basic_auth_user_info.empty()) {
      curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
      curl_easy_setopt(curl, CURLOPT_USERPWD, config_.basic_auth_user_info.c_str());
    }
    if (!config_.ssl_truststore_location.empty()) {
      curl_easy_setopt(curl, CURLOPT_CAINFO, config_.ssl_truststore_location.c_str());
    }
    if (!config_.ssl_keystore_location.empty()) {
      const std::string& ks = config_.ssl_keystore_location;
      if (StoreHasExtension(ks, ".p12") || StoreHasExtension(ks, ".pfx")) {
        curl_easy_setopt(curl, CURLOPT_SSLCERTTYPE, "P12");
      } else {
        curl_easy_setopt(curl, CURLOPT_SSLKEY, ks.c_str());
      }
      curl_easy_setopt(curl, CURLOPT_SSLCERT, ks.c_str());
      if (!config_.ssl_keystore_password.empty()) {
        curl_easy_setopt(curl, CURLOPT_KEYPASSWD, config_.ssl_keystore_password.c_str());
      }
    }
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(config_.connect_timeout_ms));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.request_timeout_ms));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, CollectBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response->body);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
    CURLcode code = curl_easy_perform(curl);
    if (code == CURLE_OK) {
      curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response->status);
    } else {
      *error = error_buffer[0] ? std::string(error_buffer) : curl_easy_strerror(code);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return code;
  }

  SchemaRegistryConfig config_;
  std::vector<std::string> urls_;
  std::atomic<size_t> preferred_{0};  // the URL that answered last
};

// ---- caching -----------------------------------------------------------------------------------

class CachingSchemaRegistry final : public SchemaRegistry {
 public:
  explicit CachingSchemaRegistry(std::shared_ptr<SchemaRegistry> inner)
      : inner_(std::move(inner)) {}

  std::string Describe() const override { return inner_->Describe(); }

  Result<std::string> SchemaById(int32_t id) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = by_id_.find(id);
      if (it != by_id_.end()) return it->second;
    }
    SLUICE_ASSIGN_OR_RETURN(std::string schema, inner_->SchemaById(id));
    std::lock_guard<std::mutex> lock(mu_);
    by_id_.emplace(id, schema);
    return schema;
  }

  Result<int32_t> Register(const std::string& subject, const std::string& schema_json) override {
    std::string key = subject + '\0' + schema_json;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = by_subject_.find(key);
      if (it != by_subject_.end()) return it->second;
    }
    SLUICE_ASSIGN_OR_RETURN(int32_t id, inner_->Register(subject, schema_json));
    std::lock_guard<std::mutex> lock(mu_);
    by_subject_.emplace(std::move(key), id);
    by_id_.emplace(id, schema_json);
    return id;
  }

 private:
  std::shared_ptr<SchemaRegistry> inner_;
  std::mutex mu_;
  std::map<int32_t, std::string> by_id_;
  std::map<std::string, int32_t> by_subject_;
};

struct SharedRegistries {
  std::mutex mu;
  std::map<std::string, std::shared_ptr<SchemaRegistry>> by_key;
  SchemaRegistryFactory factory;
};

SharedRegistries& Shared() {
  static SharedRegistries* shared = new SharedRegistries();  // never destroyed: used at exit
  return *shared;
}

}  // namespace

std::unique_ptr<SchemaRegistry> MakeHttpSchemaRegistry(const SchemaRegistryConfig& config) {
  return std::make_unique<HttpSchemaRegistry>(config);
}

std::shared_ptr<SchemaRegistry> SharedSchemaRegistry(const SchemaRegistryConfig& config) {
  SharedRegistries& shared = Shared();
  std::lock_guard<std::mutex> lock(shared.mu);
  const std::string key = config.Key();
  auto it = shared.by_key.find(key);
  if (it != shared.by_key.end()) return it->second;
  std::shared_ptr<SchemaRegistry> inner =
      shared.factory ? shared.factory(config)
                     : std::shared_ptr<SchemaRegistry>(MakeHttpSchemaRegistry(config));
  auto registry = std::make_shared<CachingSchemaRegistry>(std::move(inner));
  shared.by_key.emplace(key, registry);
  return registry;
}

void SetSchemaRegistryFactoryForTesting(SchemaRegistryFactory factory) {
  SharedRegistries& shared = Shared();
  std::lock_guard<std::mutex> lock(shared.mu);
  shared.factory = std::move(factory);
  shared.by_key.clear();
}

// ---- in memory ---------------------------------------------------------------------------------

Result<std::string> InMemorySchemaRegistry::SchemaById(int32_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  ++lookups_;
  if (unreachable_) {
    return Status::IoError("schema registry " + url_ + ": GET /schemas/ids/" + std::to_string(id) +
                           " failed: Couldn't connect to server");
  }
  auto it = by_id_.find(id);
  if (it == by_id_.end()) {
    return Status::NotFound("unknown schema id " + std::to_string(id) + " (registry " + url_ +
                            ": 404 Schema not found)");
  }
  return it->second;
}

Result<int32_t> InMemorySchemaRegistry::Register(const std::string& subject,
                                                 const std::string& schema_json) {
  std::lock_guard<std::mutex> lock(mu_);
  ++registrations_;
  if (unreachable_) {
    return Status::IoError("schema registry " + url_ + ": POST /subjects/" + subject +
                           "/versions failed: Couldn't connect to server");
  }
  int32_t id;
  auto it = by_schema_.find(schema_json);
  if (it != by_schema_.end()) {
    id = it->second;
  } else {
    while (by_id_.count(next_id_)) ++next_id_;
    id = next_id_++;
    by_schema_[schema_json] = id;
    by_id_[id] = schema_json;
  }
  auto& versions = subjects_[subject];
  if (std::find(versions.begin(), versions.end(), id) == versions.end()) versions.push_back(id);
  return id;
}

void InMemorySchemaRegistry::Put(int32_t id, const std::string& schema_json) {
  std::lock_guard<std::mutex> lock(mu_);
  by_id_[id] = schema_json;
  by_schema_.emplace(schema_json, id);
}

void InMemorySchemaRegistry::SetUnreachable(bool unreachable) {
  std::lock_guard<std::mutex> lock(mu_);
  unreachable_ = unreachable;
}

int InMemorySchemaRegistry::lookups() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lookups_;
}

int InMemorySchemaRegistry::registrations() const {
  std::lock_guard<std::mutex> lock(mu_);
  return registrations_;
}

bool StoreHasExtension(std::string_view path, std::string_view extension) {
  if (path.size() < extension.size()) return false;
  for (size_t i = 0; i < extension.size(); ++i) {
    char c = path[path.size() - extension.size() + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != extension[i]) return false;
  }
  return true;
}

}  // namespace sluice
