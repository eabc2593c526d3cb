#include "state/rocksdb_state_store.h"

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <unordered_map>

#include "state/rocksdb_options.h"
#include "state/state_files.h"
#include "state/ttl_value.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

/// Keys per RocksDB MultiGet call (RocksDB itself works in groups of 32).
constexpr size_t kMultiGetChunk = 128;

bool IsSst(const std::string& name) {
  return name.size() > 4 && name.compare(name.size() - 4, 4, ".sst") == 0;
}

/// 16 hex digits, different for every store run (open or restore).
std::string NewRunId() {
  std::random_device device;
  const uint64_t value = (uint64_t{device()} << 32) ^ device();
  static const char* kHex = "0123456789abcdef";
  std::string id(16, '0');
  for (int i = 0; i < 16; ++i) id[i] = kHex[(value >> (60 - 4 * i)) & 0xf];
  return id;
}

rocksdb::Slice ToSlice(std::string_view view) {
  return {view.data(), view.size()};
}

class RocksDbScan : public StateScan {
 public:
  RocksDbScan(std::unique_ptr<rocksdb::Iterator> it, int64_t now, int64_t ttl)
      : it_(std::move(it)), now_(now), ttl_(ttl) {
    it_->SeekToFirst();
    SkipExpired();
  }
  bool Valid() const override { return status_.ok() && it_->Valid(); }
  void Next() override {
    it_->Next();
    SkipExpired();
  }
  std::string_view key() const override { return {it_->key().data(), it_->key().size()}; }
  std::string_view value() const override { return value_; }
  Status status() const override {
    if (!status_.ok()) return status_;
    return FromRocks(it_->status(), "RocksDB state scan");
  }

 private:
  void SkipExpired() {
    for (; it_->Valid(); it_->Next()) {
      int64_t written = 0;
      const rocksdb::Slice stored = it_->value();
      if (!SplitTtlValue({stored.data(), stored.size()}, &written, &value_)) {
        status_ = Status::DecodeError("RocksDB state: a value without its write time");
        return;
      }
      if (!TtlExpired(written, now_, ttl_)) return;
    }
  }

  std::unique_ptr<rocksdb::Iterator> it_;
  int64_t now_;
  int64_t ttl_;
  std::string_view value_;
  Status status_;
};

}  // namespace

std::string RocksDbInstanceDirectory(const std::string& local_root, const std::string& uid,
                                     int instance) {
  return local_root + "/" + uid + "-" + std::to_string(instance);
}

RocksDbStateStore::RocksDbStateStore(std::shared_ptr<RocksDbEnvironment> env, std::string directory)
    : env_(std::move(env)), directory_(std::move(directory)), run_id_(NewRunId()) {}

Result<std::unique_ptr<RocksDbStateStore>> RocksDbStateStore::Open(
    std::shared_ptr<RocksDbEnvironment> env, std::string directory) {
  if (env == nullptr) return Status::InvalidArgument("RocksDB state store without environment");
  std::unique_ptr<RocksDbStateStore> store(new RocksDbStateStore(std::move(env), directory));
  SLUICE_RETURN_IF_ERROR(RemoveTree(directory));
  SLUICE_RETURN_IF_ERROR(CreateDirectories(store->db_dir()));
  SLUICE_RETURN_IF_ERROR(store->OpenDb(/*create=*/true));
  return store;
}

RocksDbStateStore::~RocksDbStateStore() {
  CloseDb();
  RemoveTree(directory_).IgnoreError();  // scratch: a failure only leaves disk space behind
}

Status RocksDbStateStore::OpenDb(bool create) {
  rocksdb::Options options = StoreOptions(*env_);
  options.create_if_missing = create;
  rocksdb::DB* db = nullptr;
  SLUICE_RETURN_IF_ERROR(
      FromRocks(rocksdb::DB::Open(options, db_dir(), &db), "opening RocksDB in " + db_dir()));
  db_.reset(db);
  return Status::OK();
}

void RocksDbStateStore::CloseDb() {
  if (db_ == nullptr) return;
  db_->Close().PermitUncheckedError();  // nothing to lose: the live database is scratch
  db_.reset();
}

Status RocksDbStateStore::CheckOpen() const {
  if (db_ != nullptr) return Status::OK();
  return Status::RuntimeError("RocksDB state in " + directory_ + " is not open (a restore failed)");
}

Status RocksDbStateStore::Write(std::span<const KeyValueRef> puts,
                                std::span<const std::string_view> deletes) {
  SLUICE_RETURN_IF_ERROR(CheckOpen());
  std::string prefix;
  AppendTtlPrefix(env_->NowMillis(), &prefix);
  const rocksdb::Slice prefix_slice(prefix);
  rocksdb::WriteBatch batch;
  for (const KeyValueRef& kv : puts) {
    const rocksdb::Slice key = ToSlice(kv.key);
    const rocksdb::Slice value_parts[2] = {prefix_slice, ToSlice(kv.value)};
    SLUICE_RETURN_IF_ERROR(
        FromRocks(batch.Put(rocksdb::SliceParts(&key, 1), rocksdb::SliceParts(value_parts, 2)),
                  "RocksDB write batch"));
  }
  for (std::string_view key : deletes) {
    SLUICE_RETURN_IF_ERROR(FromRocks(batch.Delete(ToSlice(key)), "RocksDB write batch"));
  }
  rocksdb::WriteOptions options;
  options.disableWAL = true;  // checkpoints give durability
  return FromRocks(db_->Write(options, &batch), "RocksDB write in " + db_dir());
}

Status RocksDbStateStore::MultiGet(std::span<const std::string_view> keys,
                                   std::vector<std::optional<std::string>>* values) {
  SLUICE_RETURN_IF_ERROR(CheckOpen());
  values->assign(keys.size(), std::nullopt);
  const int64_t now = env_->NowMillis();
  const int64_t ttl = env_->options().ttl_millis;
  // Each found value pins its block in the cache until it is copied out: RocksDB is asked in
  // chunks so that a batch of scattered keys pins a few MB, not one block per key beyond the
  // budget.
  rocksdb::Slice slices[kMultiGetChunk];
  rocksdb::PinnableSlice found[kMultiGetChunk];
  rocksdb::Status statuses[kMultiGetChunk];
  for (size_t first = 0; first < keys.size(); first += kMultiGetChunk) {
    const size_t n = std::min(kMultiGetChunk, keys.size() - first);
    for (size_t i = 0; i < n; ++i) slices[i] = ToSlice(keys[first + i]);
    db_->MultiGet(rocksdb::ReadOptions(), db_->DefaultColumnFamily(), n, slices, found, statuses);
    for (size_t i = 0; i < n; ++i) {
      if (statuses[i].IsNotFound()) continue;
      SLUICE_RETURN_IF_ERROR(FromRocks(statuses[i], "RocksDB lookup in " + db_dir()));
      int64_t written = 0;
      std::string_view value;
      if (!SplitTtlValue({found[i].data(), found[i].size()}, &written, &value)) {
        return Status::DecodeError("RocksDB state in " + db_dir() +
                                   ": a value without its write time");
      }
      if (!TtlExpired(written, now, ttl)) (*values)[first + i].emplace(value);
      found[i].Reset();
    }
  }
  return Status::OK();
}

Result<std::unique_ptr<StateScan>> RocksDbStateStore::Scan() {
  SLUICE_RETURN_IF_ERROR(CheckOpen());
  rocksdb::ReadOptions options;
  options.fill_cache = false;  // a full pass would only evict the hot blocks
  options.readahead_size = size_t{2} << 20;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options));
  return std::unique_ptr<StateScan>(
      new RocksDbScan(std::move(it), env_->NowMillis(), env_->options().ttl_millis));
}

uint64_t RocksDbStateStore::ApproximateBytes() {
  if (db_ == nullptr) return 0;
  uint64_t sst = 0;
  uint64_t memtables = 0;
  db_->GetIntProperty(rocksdb::DB::Properties::kLiveSstFilesSize, &sst);
  db_->GetIntProperty(rocksdb::DB::Properties::kCurSizeAllMemTables, &memtables);
  return sst + memtables;
}

uint64_t RocksDbStateStore::ApproximateKeys() {
  uint64_t keys = 0;
  if (db_ != nullptr) db_->GetIntProperty(rocksdb::DB::Properties::kEstimateNumKeys, &keys);
  return keys;
}

Status RocksDbStateStore::Compact() {
  SLUICE_RETURN_IF_ERROR(CheckOpen());
  rocksdb::CompactRangeOptions options;
  options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  return FromRocks(db_->CompactRange(options, nullptr, nullptr), "compacting " + db_dir());
}

Result<StateHandle> RocksDbStateStore::Checkpoint(CheckpointId id,
                                                  const std::string& checkpoint_dir,
                                                  const std::string& shared_dir) {
  SLUICE_RETURN_IF_ERROR(CheckOpen());
  const std::string what = "RocksDB checkpoint " + std::to_string(id) + " of " + directory_;
  const std::string tmp = directory_ + "/chk-" + std::to_string(id) + ".tmp";
  SLUICE_RETURN_IF_ERROR(RemoveTree(tmp));

  // Flush + hard links of the live files; the file list with RocksDB's checksums is read while
  // deletions are off, so a compaction finishing meanwhile cannot drop a file from it.
  std::unordered_map<std::string, std::string> checksums;
  {
    rocksdb::Checkpoint* raw = nullptr;
    SLUICE_RETURN_IF_ERROR(FromRocks(rocksdb::Checkpoint::Create(db_.get(), &raw), what));
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
    SLUICE_RETURN_IF_ERROR(FromRocks(db_->DisableFileDeletions(), what));
    rocksdb::Status created = checkpoint->CreateCheckpoint(tmp, /*log_size_for_flush=*/0);
    std::vector<rocksdb::LiveFileMetaData> live;
    if (created.ok()) db_->GetLiveFilesMetaData(&live);
    db_->EnableFileDeletions(/*force=*/false).PermitUncheckedError();
    SLUICE_RETURN_IF_ERROR(FromRocks(created, what));
    for (const rocksdb::LiveFileMetaData& file : live) {
      std::string name = file.name;
      if (!name.empty() && name[0] == '/') name.erase(0, 1);
      if (file.file_checksum_func_name == rocksdb::kStandardDbFileChecksumFuncName) {
        checksums[name] = file.file_checksum;
      }
    }
  }

  SLUICE_RETURN_IF_ERROR(CreateDirectories(checkpoint_dir));
  SLUICE_RETURN_IF_ERROR(CreateDirectories(shared_dir));
  StateHandle handle;
  handle.checkpoint = id;
  handle.checkpoint_dir = checkpoint_dir;
  handle.shared_dir = shared_dir;
  std::error_code ec;
  for (fs::directory_iterator it(tmp, ec), end; !ec && it != end; it.increment(ec)) {
    StateFile file;
    file.local_name = it->path().filename().string();
    const std::string source = it->path().string();
    SLUICE_ASSIGN_OR_RETURN(file.bytes, RegularFileSize(source));
    if (IsSst(file.local_name)) {
      file.shared = true;
      auto known = shared_names_.find(file.local_name);
      file.stored_name =
          known != shared_names_.end() ? known->second : run_id_ + "-" + file.local_name;
      const std::string target = shared_dir + "/" + file.stored_name;
      auto present = RegularFileSize(target);
      if (!present.ok() || *present != file.bytes) {
        // New (or lost to garbage collection, or a different shared dir such as a savepoint's).
        if (present.ok()) SLUICE_RETURN_IF_ERROR(RemoveTree(target));
        SLUICE_RETURN_IF_ERROR(LinkOrCopyFile(source, target));
      }
      shared_names_[file.local_name] = file.stored_name;
      auto checksum = checksums.find(file.local_name);
      if (checksum != checksums.end()) {
        file.crc32c = checksum->second;
      } else {
        SLUICE_ASSIGN_OR_RETURN(file.crc32c, FileCrc32c(source));
      }
    } else {
      file.stored_name = file.local_name;
      SLUICE_RETURN_IF_ERROR(CopyFileSynced(source, checkpoint_dir + "/" + file.stored_name));
    }
    handle.files.push_back(std::move(file));
  }
  if (ec) return Status::IoError(what + ": listing " + tmp + ": " + ec.message());
  SLUICE_RETURN_IF_ERROR(SyncDirectory(shared_dir));
  SLUICE_RETURN_IF_ERROR(SyncDirectory(checkpoint_dir));
  SLUICE_RETURN_IF_ERROR(RemoveTree(tmp));
  std::sort(handle.files.begin(), handle.files.end(),
            [](const StateFile& a, const StateFile& b) { return a.local_name < b.local_name; });
  return handle;
}

Status RocksDbStateStore::Restore(const StateHandle& handle, bool verify_checksums) {
  const std::string what = "restoring RocksDB state of checkpoint " +
                           std::to_string(handle.checkpoint) + " into " + directory_;
  // Check every file before touching the live database: a bad handle leaves the store as it was.
  bool has_current = false;
  for (const StateFile& file : handle.files) {
    has_current |= file.local_name == "CURRENT";
    const std::string path = handle.StoredPath(file);
    auto size = RegularFileSize(path);
    if (!size.ok()) {
      if (size.status().code() == ErrorCode::kNotFound) {
        return Status::NotFound(what + ": state file '" + path + "' is missing");
      }
      return size.status().WithContext(what);
    }
    if (*size != file.bytes) {
      return Status::DecodeError(what + ": state file '" + path +
                                 "' is damaged: " + std::to_string(*size) +
                                 " bytes, the checkpoint recorded " + std::to_string(file.bytes));
    }
    if (verify_checksums && file.shared && !file.crc32c.empty()) {
      SLUICE_ASSIGN_OR_RETURN(std::string crc, FileCrc32c(path));
      if (crc != file.crc32c) {
        return Status::DecodeError(what + ": state file '" + path +
                                   "' is damaged: its checksum differs from the checkpoint's");
      }
    }
  }
  if (!has_current) return Status::DecodeError(what + ": the handle lists no CURRENT file");

  CloseDb();
  SLUICE_RETURN_IF_ERROR(RemoveTree(directory_));
  SLUICE_RETURN_IF_ERROR(CreateDirectories(db_dir()));
  for (const StateFile& file : handle.files) {
    const std::string from = handle.StoredPath(file);
    const std::string to = db_dir() + "/" + file.local_name;
    // SSTs are never written again: a link is safe. The rest RocksDB may rewrite: copy.
    SLUICE_RETURN_IF_ERROR(file.shared ? LinkOrCopyFile(from, to) : CopyFileSynced(from, to));
  }
  Status opened = OpenDb(/*create=*/false);
  if (!opened.ok()) {
    // RocksDB names the live copy; say which checkpoint file that is.
    std::string message = what + ": " + opened.message();
    for (const StateFile& file : handle.files) {
      if (opened.message().find(file.local_name) != std::string::npos) {
        message += " (stored as '" + handle.StoredPath(file) + "')";
        break;
      }
    }
    return Status(opened.code(), std::move(message));
  }
  shared_names_.clear();
  for (const StateFile& file : handle.files) {
    if (file.shared) shared_names_[file.local_name] = file.stored_name;
  }
  run_id_ = NewRunId();
  return Status::OK();
}

}  // namespace sluice
