#include "checkpoint/checkpoint_storage.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <simdjson.h>

#include "common/file_sync.h"
#include "common/json_string.h"

namespace sluice {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPrefix = "chk-";
constexpr const char* kManifest = "MANIFEST.json";

Status Errno(const std::string& what) {
  return Status::IoError(what + ": " + std::strerror(errno));
}

// The id in "chk-0000000042", or -1 for any other name.
CheckpointId ParseDirectoryName(const std::string& name) {
  if (name.size() <= kPrefix.size() || name.compare(0, kPrefix.size(), kPrefix) != 0) return -1;
  CheckpointId id = 0;
  for (size_t i = kPrefix.size(); i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9' || id > (INT64_MAX - 9) / 10) return -1;
    id = id * 10 + (name[i] - '0');
  }
  return id;
}

// Writes `text` to `path` so that a crash leaves either the old state or all of `text`.
Status WriteFileAtomically(const fs::path& path, const std::string& text) {
  fs::path temp = path;
  temp += ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot create " + temp.string());
  size_t written = 0;
  while (written < text.size()) {
    ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status status = Errno("cannot write " + temp.string());
      ::close(fd);
      return status;
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Status status = Errno("cannot sync " + temp.string());
    ::close(fd);
    return status;
  }
  ::close(fd);
  if (::rename(temp.c_str(), path.c_str()) != 0) return Errno("cannot rename " + temp.string());
  return SyncDirectory(path.parent_path().string());
}

std::string_view KindName(SnapshotKind kind) {
  return kind == SnapshotKind::kSavepoint ? "savepoint" : "checkpoint";
}

}  // namespace

std::string CheckpointDirectoryName(CheckpointId id) {
  char name[32];
  std::snprintf(name, sizeof(name), "chk-%010lld", static_cast<long long>(id));
  return name;
}

std::string ManifestToJson(const Manifest& manifest) {
  std::string out = "{\"format\":1,\"id\":" + std::to_string(manifest.id) + ",\"kind\":";
  AppendJsonString(KindName(manifest.kind), &out);
  out += ",\"pipeline\":";
  AppendJsonString(manifest.pipeline, &out);
  out += ",\"created_micros\":" + std::to_string(manifest.created_micros);
  out += ",\"body\":" + (manifest.body.empty() ? std::string("{}") : manifest.body) + "}\n";
  return out;
}

Result<Manifest> ManifestFromJson(const std::string& text) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(text).get(root)) {
    return Status::IoError(std::string("manifest is not JSON: ") + simdjson::error_message(error));
  }
  Manifest manifest;
  int64_t format = 0;
  std::string_view kind, pipeline;
  simdjson::dom::element body;
  if (root["format"].get(format) || format != 1) {
    return Status::IoError("manifest has no supported 'format' (expected 1)");
  }
  if (root["id"].get(manifest.id) || root["kind"].get(kind) || root["pipeline"].get(pipeline) ||
      root["created_micros"].get(manifest.created_micros) || root["body"].get(body)) {
    return Status::IoError("manifest lacks one of id, kind, pipeline, created_micros, body");
  }
  if (kind == "savepoint") {
    manifest.kind = SnapshotKind::kSavepoint;
  } else if (kind != "checkpoint") {
    return Status::IoError("manifest has an unknown kind '" + std::string(kind) + "'");
  }
  manifest.pipeline = std::string(pipeline);
  manifest.body = simdjson::minify(body);
  return manifest;
}

Result<std::unique_ptr<CheckpointStorage>> CheckpointStorage::Open(const std::string& root,
                                                                   const std::string& pipeline) {
  if (pipeline.empty() || pipeline.find('/') != std::string::npos || pipeline == "." ||
      pipeline == "..") {
    return Status::InvalidArgument("'pipeline.name' = '" + pipeline +
                                   "' cannot name a checkpoint directory (it must be non-empty "
                                   "and contain no '/')");
  }
  std::unique_ptr<CheckpointStorage> storage(new CheckpointStorage());
  storage->directory_ = (fs::path(root) / pipeline).string();
  std::error_code ec;
  fs::create_directories(storage->directory_, ec);
  if (ec) return Status::IoError("cannot create " + storage->directory_ + ": " + ec.message());
  fs::path lock = fs::path(storage->directory_) / "LOCK";
  int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot open " + lock.string());
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char holder[32] = {0};
    ssize_t n = ::pread(fd, holder, sizeof(holder) - 1, 0);
    ::close(fd);
    std::string pid = n > 0 ? std::string(holder, static_cast<size_t>(n)) : "unknown";
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    return Status::InvalidArgument("pipeline '" + pipeline + "' is already running (process " +
                                   pid + " holds " + lock.string() + ")");
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    Status status = Errno("cannot write " + lock.string());
    ::close(fd);
    return status;
  }
  storage->lock_fd_ = fd;
  return storage;
}

CheckpointStorage::~CheckpointStorage() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

Result<std::vector<Manifest>> CheckpointStorage::List() const {
  std::vector<Manifest> manifests;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(directory_, ec)) {
    CheckpointId id = ParseDirectoryName(entry.path().filename().string());
    fs::path path = entry.path() / kManifest;
    if (id < 0 || !fs::is_regular_file(path)) continue;
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    auto manifest = ManifestFromJson(text.str());
    if (!manifest.ok()) return manifest.status().WithContext(path.string());
    if (manifest->id != id) {
      return Status::IoError(path.string() + ": manifest id " + std::to_string(manifest->id) +
                             " does not match its directory");
    }
    manifest->directory = entry.path().string();
    manifests.push_back(std::move(manifest).value());
  }
  if (ec) return Status::IoError("cannot list " + directory_ + ": " + ec.message());
  std::sort(manifests.begin(), manifests.end(),
            [](const Manifest& a, const Manifest& b) { return a.id < b.id; });
  return manifests;
}

Result<std::optional<Manifest>> CheckpointStorage::Latest() const {
  SLUICE_ASSIGN_OR_RETURN(std::vector<Manifest> all, List());
  if (all.empty()) return std::optional<Manifest>();
  return std::optional<Manifest>(std::move(all.back()));
}

Result<std::string> CheckpointStorage::PendingDirectory(CheckpointId id) {
  if (id < 0) return Status::InvalidArgument("negative checkpoint id");
  fs::path dir = fs::path(directory_) / CheckpointDirectoryName(id);
  if (fs::exists(dir / kManifest)) {
    return Status::InvalidArgument("checkpoint " + std::to_string(id) + " is already complete");
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IoError("cannot create " + dir.string() + ": " + ec.message());
  return dir.string();
}

Status CheckpointStorage::Complete(const Manifest& manifest) {
  fs::path dir = fs::path(directory_) / CheckpointDirectoryName(manifest.id);
  if (!fs::is_directory(dir)) {
    return Status::InvalidArgument("checkpoint " + std::to_string(manifest.id) +
                                   " has no pending directory");
  }
  return WriteFileAtomically(dir / kManifest, ManifestToJson(manifest));
}

Status CheckpointStorage::Retain(int retained) {
  retained = std::max(retained, 1);
  SLUICE_ASSIGN_OR_RETURN(std::vector<Manifest> all, List());
  // Savepoints belong to the user: they are neither counted nor deleted.
  std::vector<Manifest> complete;
  for (Manifest& m : all) {
    if (m.kind == SnapshotKind::kCheckpoint) complete.push_back(std::move(m));
  }
  std::vector<fs::path> doomed;
  const size_t keep_from = complete.size() > static_cast<size_t>(retained)
                               ? complete.size() - static_cast<size_t>(retained)
                               : 0;
  for (size_t i = 0; i < keep_from; ++i) doomed.push_back(complete[i].directory);
  const CheckpointId newest = complete.empty() ? -1 : complete.back().id;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(directory_, ec)) {
    CheckpointId id = ParseDirectoryName(entry.path().filename().string());
    if (id >= 0 && id < newest && !fs::exists(entry.path() / kManifest)) {
      doomed.push_back(entry.path());
    }
  }
  if (ec) return Status::IoError("cannot list " + directory_ + ": " + ec.message());
  for (const fs::path& dir : doomed) {
    // The manifest goes first, so a crash half-way leaves an unfinished directory, not a
    // complete checkpoint with missing files.
    fs::remove(dir / kManifest, ec);
    fs::remove_all(dir, ec);
    if (ec) return Status::IoError("cannot delete " + dir.string() + ": " + ec.message());
  }
  return Status::OK();
}

Result<CheckpointId> CheckpointStorage::HighestId() const {
  CheckpointId highest = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(directory_, ec)) {
    highest = std::max(highest, ParseDirectoryName(entry.path().filename().string()));
  }
  if (ec) return Status::IoError("cannot list " + directory_ + ": " + ec.message());
  return highest;
}

Status CheckpointStorage::RemoveIncomplete() {
  std::error_code ec;
  std::vector<fs::path> doomed;
  for (const auto& entry : fs::directory_iterator(directory_, ec)) {
    CheckpointId id = ParseDirectoryName(entry.path().filename().string());
    if (id >= 0 && !fs::exists(entry.path() / kManifest)) doomed.push_back(entry.path());
  }
  if (ec) return Status::IoError("cannot list " + directory_ + ": " + ec.message());
  for (const fs::path& dir : doomed) {
    fs::remove_all(dir, ec);
    if (ec) return Status::IoError("cannot delete " + dir.string() + ": " + ec.message());
  }
  return Status::OK();
}

Result<Manifest> ReadManifest(const std::string& directory) {
  fs::path path = fs::path(directory) / kManifest;
  std::ifstream in(path);
  if (!in) {
    return Status::NotFound(directory + " is not a complete checkpoint or savepoint (no " +
                            std::string(kManifest) + ")");
  }
  std::stringstream text;
  text << in.rdbuf();
  auto manifest = ManifestFromJson(text.str());
  if (!manifest.ok()) return manifest.status().WithContext(path.string());
  manifest->directory = directory;
  return manifest;
}

Status CheckpointStorage::CollectSharedGarbage(int64_t before_wall_micros) {
  const fs::path shared = fs::path(directory_) / "shared";
  std::error_code ec;
  if (!fs::exists(shared, ec)) return Status::OK();
  SLUICE_ASSIGN_OR_RETURN(std::vector<Manifest> manifests, List());
  std::set<std::string> referenced;
  simdjson::dom::parser parser;
  for (const Manifest& manifest : manifests) {
    simdjson::dom::element body;
    simdjson::dom::array files;
    if (parser.parse(manifest.body).get(body) || body["shared_files"].get_array().get(files)) {
      continue;  // no shared files (or an older manifest): nothing to keep for it
    }
    for (simdjson::dom::element file : files) {
      std::string_view path;
      if (!file.get_string().get(path)) referenced.insert(fs::path(path).lexically_normal());
    }
  }
  std::vector<fs::path> doomed;
  for (const auto& entry : fs::recursive_directory_iterator(shared, ec)) {
    if (!entry.is_regular_file() || referenced.count(entry.path().lexically_normal())) continue;
    struct stat info;
    if (::stat(entry.path().c_str(), &info) != 0) continue;
    const int64_t changed =
        static_cast<int64_t>(info.st_ctim.tv_sec) * 1'000'000 + info.st_ctim.tv_nsec / 1000;
    if (changed < before_wall_micros) doomed.push_back(entry.path());
  }
  if (ec) return Status::IoError("cannot list " + shared.string() + ": " + ec.message());
  for (const fs::path& file : doomed) {
    fs::remove(file, ec);
    if (ec) return Status::IoError("cannot delete " + file.string() + ": " + ec.message());
  }
  return Status::OK();
}

}  // namespace sluice
