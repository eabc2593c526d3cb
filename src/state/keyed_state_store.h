#pragma once
// KeyedStateStore: the spill tier under an operator instance's heap tables
// (docs/design/checkpoints.md §4.2). Operators keep hot groups in their vectorized tables and
// move cold ones here in batches, so every call takes a batch: one write batch per Write(), one
// lookup per MultiGet() — never a call per key on the hot path.
//
// A store belongs to one operator instance and is used from its task thread only (checkpoints
// included: they run at the barrier, on that thread), so implementations need no locking.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "runtime/checkpoint_types.h"
#include "state/state_handle.h"

namespace sluice {

/// A key and its value, pointing into the caller's memory for the duration of the call.
struct KeyValueRef {
  std::string_view key;
  std::string_view value;
};

/// Every live (not expired) entry of a store in key order. The views stay valid until Next().
class StateScan {
 public:
  virtual ~StateScan() = default;
  virtual bool Valid() const = 0;
  virtual void Next() = 0;
  virtual std::string_view key() const = 0;
  virtual std::string_view value() const = 0;
  /// Why the scan stopped early (OK at the regular end).
  virtual Status status() const = 0;
};

class KeyedStateStore {
 public:
  virtual ~KeyedStateStore() = default;

  /// Writes `puts` and removes `deletes` atomically (one batch; a key in both ends deleted).
  virtual Status Write(std::span<const KeyValueRef> puts,
                       std::span<const std::string_view> deletes) = 0;
  Status Put(std::span<const KeyValueRef> puts) { return Write(puts, {}); }
  Status Delete(std::span<const std::string_view> keys) { return Write({}, keys); }

  /// (*values)[i] = the value of keys[i], or nullopt when absent or expired.
  virtual Status MultiGet(std::span<const std::string_view> keys,
                          std::vector<std::optional<std::string>>* values) = 0;

  /// A scan over the whole store (rescale, final output). Writes during the scan may or may not
  /// be seen.
  virtual Result<std::unique_ptr<StateScan>> Scan() = 0;

  /// Bytes on disk plus in memory tables (an estimate: compaction changes it).
  virtual uint64_t ApproximateBytes() = 0;

  /// Makes the current contents durable as checkpoint `id`: small files go into
  /// `checkpoint_dir` (this instance's own directory of the checkpoint), immutable data files
  /// into `shared_dir` (shared by the checkpoints of this instance, only new files are added).
  virtual Result<StateHandle> Checkpoint(CheckpointId id, const std::string& checkpoint_dir,
                                         const std::string& shared_dir) = 0;

  /// Replaces the contents with what `handle` saved.
  virtual Status Restore(const StateHandle& handle) = 0;
};

}  // namespace sluice
