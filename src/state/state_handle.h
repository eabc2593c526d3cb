#pragma once
// StateHandle: what a RocksDB store's checkpoint consists of — the list of files to put back
// together on restore (docs/design/checkpoints.md §2, §4.2).
//
//   <checkpoint_dir>/   CURRENT, MANIFEST-*, OPTIONS-* (small, copied per checkpoint)
//   <shared_dir>/       <run>-<number>.sst: immutable data files, hard-linked in once and then
//                       referenced by every later checkpoint that still needs them
//
// SSTs are renamed with the id of the store run that wrote them because a store restored from
// an older checkpoint reuses file numbers that a newer checkpoint's files already carry.
//
// The handle travels in the operator's state section (Encode/Decode); the manifest's list of
// referenced shared files comes from SharedFileNames(), which garbage collection keeps.

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "runtime/checkpoint_types.h"
#include "runtime/state_codec.h"

namespace sluice {

struct StateFile {
  /// The name inside the live database directory ("000042.sst", "CURRENT").
  std::string local_name;
  /// The name inside shared_dir (SSTs) or checkpoint_dir (the rest).
  std::string stored_name;
  bool shared = false;
  uint64_t bytes = 0;
  /// RocksDB's crc32c file checksum (4 raw bytes) for SSTs; empty when unknown.
  std::string crc32c;
};

struct StateHandle {
  CheckpointId checkpoint = 0;
  std::string checkpoint_dir;
  std::string shared_dir;
  std::vector<StateFile> files;

  /// The path a file of this handle is stored at.
  std::string StoredPath(const StateFile& file) const;
  /// Names in shared_dir this checkpoint needs (for garbage collection and the manifest).
  std::vector<std::string> SharedFileNames() const;
  /// Sum of the file sizes (the state's size, shared files included).
  uint64_t TotalBytes() const;

  void Encode(StateEncoder* out) const;
  /// Rejects unknown versions and file names that would leave their directory.
  static Result<StateHandle> Decode(StateDecoder* in);
};

/// Deletes every file in `shared_dir` whose name is not in `referenced` (the union of the
/// retained checkpoints' SharedFileNames()). Call it only while no checkpoint of the stores
/// writing into `shared_dir` is in flight: a pending checkpoint's new files are referenced by
/// no retained one yet. *deleted (optional) counts the removed files.
Status CollectGarbage(const std::string& shared_dir, const std::vector<std::string>& referenced,
                      int* deleted = nullptr);

}  // namespace sluice
