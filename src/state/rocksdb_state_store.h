#pragma once
// RocksDbStateStore: one RocksDB database per operator instance, in a local directory of its own
// (docs/design/checkpoints.md §2: <state dir>/<pipeline>/rocksdb/<uid>-<instance>/).
//
// The live database is scratch: writes skip the WAL, and a store opened on an existing directory
// throws the old contents away — durability comes from checkpoints only.
//
// Incremental checkpoints: RocksDB's Checkpoint flushes the memtable and hard-links the live SSTs
// into a temporary directory; each SST not yet in `shared_dir` is linked there under a name
// unique to this store run (StateHandle), the small files are copied into `checkpoint_dir`, and
// the handle lists every file. SSTs never change, so a checkpoint costs the new SSTs only.
// Restore links the listed files back into a fresh live directory and opens it: O(files).

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "state/keyed_state_store.h"
#include "state/rocksdb_environment.h"

namespace rocksdb {
class DB;
}

namespace sluice {

/// `<local_root>/<uid>-<instance>`: where an operator instance's live database lives.
std::string RocksDbInstanceDirectory(const std::string& local_root, const std::string& uid,
                                     int instance);

class RocksDbStateStore : public KeyedStateStore {
 public:
  /// An empty store in `directory` (created; whatever an earlier run left there is removed).
  static Result<std::unique_ptr<RocksDbStateStore>> Open(std::shared_ptr<RocksDbEnvironment> env,
                                                         std::string directory);
  /// Closes the database and removes its live directory.
  ~RocksDbStateStore() override;

  Status Write(std::span<const KeyValueRef> puts,
               std::span<const std::string_view> deletes) override;
  Status MultiGet(std::span<const std::string_view> keys,
                  std::vector<std::optional<std::string>>* values) override;
  Result<std::unique_ptr<StateScan>> Scan() override;
  uint64_t ApproximateBytes() override;
  Result<StateHandle> Checkpoint(CheckpointId id, const std::string& checkpoint_dir,
                                 const std::string& shared_dir) override;
  Status Restore(const StateHandle& handle) override { return Restore(handle, false); }
  /// Every listed file must exist with its recorded size (else an error naming it, and the store
  /// is unchanged); `verify_checksums` also reads the SSTs and compares their crc32c.
  Status Restore(const StateHandle& handle, bool verify_checksums);

  /// Compacts everything (TTL-expired entries are dropped on the way).
  Status Compact();
  /// RocksDB's estimate of the number of keys.
  uint64_t ApproximateKeys();
  const std::string& directory() const { return directory_; }

 private:
  RocksDbStateStore(std::shared_ptr<RocksDbEnvironment> env, std::string directory);
  Status OpenDb(bool create);
  void CloseDb();
  Status CheckOpen() const;
  std::string db_dir() const { return directory_ + "/db"; }

  std::shared_ptr<RocksDbEnvironment> env_;
  std::string directory_;
  std::unique_ptr<rocksdb::DB> db_;
  /// Names SSTs get in shared dirs: new ones "<run_id_>-<local>", restored ones keep theirs.
  std::string run_id_;
  std::map<std::string, std::string> shared_names_;  // local name -> stored name
};

}  // namespace sluice
