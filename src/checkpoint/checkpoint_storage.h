#pragma once
// CheckpointStorage: where a pipeline's checkpoints live on a local file system, and the one
// atomic step that makes a checkpoint complete (docs/design/checkpoints.md §2).
//
//   <root>/<pipeline>/
//     LOCK                    flock()ed by the running process (its pid inside): one writer
//     chk-0000000042/         one checkpoint; tasks and operators write their files in here
//       MANIFEST.json         written last (temp file, fsync, rename, fsync of the directory):
//                             its presence is what "complete" means
//
// A directory without a manifest is an unfinished checkpoint (a crash mid-way): never restored,
// removed by Retain(). Not thread-safe: owned by the job's checkpoint coordinator.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "runtime/checkpoint_types.h"

namespace sluice {

/// What MANIFEST.json records. `body` is the rest of the manifest as a JSON object text (sources'
/// positions, operators' state files, sinks' committables): owned by the coordinator, kept
/// verbatim here.
struct Manifest {
  CheckpointId id = 0;
  SnapshotKind kind = SnapshotKind::kCheckpoint;
  std::string pipeline;
  int64_t created_micros = 0;  // wall clock, UTC
  std::string body = "{}";
  /// The checkpoint's directory (set by List()/Latest(), ignored by Complete()).
  std::string directory;
};

class CheckpointStorage {
 public:
  /// Creates <root>/<pipeline>/ if needed and takes its LOCK; a second process running the same
  /// pipeline gets an error naming the holder's pid.
  static Result<std::unique_ptr<CheckpointStorage>> Open(const std::string& root,
                                                         const std::string& pipeline);
  ~CheckpointStorage();

  /// Complete checkpoints, oldest first.
  Result<std::vector<Manifest>> List() const;
  /// The newest complete checkpoint, if any.
  Result<std::optional<Manifest>> Latest() const;
  /// Creates (empty) and returns the directory checkpoint `id` writes its files into.
  Result<std::string> PendingDirectory(CheckpointId id);
  /// Makes checkpoint `manifest.id` complete: writes its manifest atomically.
  Status Complete(const Manifest& manifest);
  /// Keeps the newest `retained` complete checkpoints (at least 1) and deletes older ones, and
  /// every unfinished checkpoint directory older than the newest complete one. Savepoints are
  /// never deleted.
  Status Retain(int retained);
  /// The highest checkpoint id any directory here uses, complete or not (0 when none): new ids
  /// go above it, so an id is never reused.
  Result<CheckpointId> HighestId() const;
  /// Deletes every checkpoint directory without a manifest (after a restore's sink recovery).
  Status RemoveIncomplete();
  /// Deletes the files under <pipeline>/shared/ that no complete checkpoint or savepoint lists
  /// in its manifest's "shared_files" and that were linked before `before_wall_micros` (a hard
  /// link sets the file's ctime): a task's final snapshot may have linked files that only the
  /// next manifest will list, so a newer file is kept for a later collection.
  Status CollectSharedGarbage(int64_t before_wall_micros);

  const std::string& directory() const { return directory_; }

 private:
  CheckpointStorage() = default;

  std::string directory_;
  int lock_fd_ = -1;
};

/// "chk-0000000042".
std::string CheckpointDirectoryName(CheckpointId id);
/// A manifest as JSON text, and back (an error names what is wrong with the text).
std::string ManifestToJson(const Manifest& manifest);
Result<Manifest> ManifestFromJson(const std::string& text);
/// The manifest of the checkpoint or savepoint in `directory` (with `directory` set); an error
/// naming the directory when it is not a complete one.
Result<Manifest> ReadManifest(const std::string& directory);

}  // namespace sluice
