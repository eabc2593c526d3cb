#pragma once
// CheckpointData: the contents of one completed checkpoint, as the coordinator assembles it from
// the tasks' snapshots and as a restore reads it back (docs/design/checkpoints.md §2).
//
// On disk, in the checkpoint's directory:
//   state.bin      one state file (state_file.h): a section per task ("task/<key>/<i>"), per
//                  operator instance ("op/<uid>/<i>") and per committable
//                  ("commit/<sink uid>/<writer>/<epoch>"), each CRC-checked
//   MANIFEST.json  its body lists operators, tasks, sources (positions and watermarks inline,
//                  readable by `sluice checkpoints list`) and sinks — written last, the commit
// Bytes of operator state are never copied on restore: the views point into the loaded file.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "checkpoint/checkpoint_storage.h"
#include "checkpoint/state_file.h"
#include "runtime/checkpoint_types.h"
#include "runtime/task_snapshot.h"

namespace sluice {

struct SavedOperatorState {
  std::string uid;
  std::string kind;       // "GroupAggregate", for reports
  std::string signature;  // canonical signature JSON (exec/plan/operator_signature.h)
  int instance = 0;
  int parallelism = 1;
  /// Writing only: the snapshot's sections, not copied (they outlive the write).
  const StateSections* sections = nullptr;
};

struct SavedTask {
  std::string key;  // the stage's stable key
  int instance = 0;
  int parallelism = 1;
  std::string state;
};

struct SavedSource {
  std::string uid;
  std::string table;
  std::vector<StreamPosition> positions;
  std::vector<StreamWatermark> watermarks;
};

struct SavedSink {
  std::string uid;
  std::string table;
  std::vector<Committable> committables;
};

struct CheckpointData {
  /// Files outside the checkpoint directory it needs (kSharedFilesSection), absolute paths.
  std::vector<std::string> shared_files;
  std::vector<SavedTask> tasks;
  std::vector<SavedOperatorState> operators;
  std::vector<SavedSource> sources;
  std::vector<SavedSink> sinks;
};

/// Writes `data`'s state file into `directory` (synced) and returns the manifest body (JSON
/// object text) that describes it; *state_bytes is the state file's size.
Result<std::string> WriteCheckpointData(const CheckpointData& data, const std::string& directory,
                                        uint64_t* state_bytes);

/// A completed checkpoint read back: the manifest's lists plus the verified state file.
class LoadedCheckpoint {
 public:
  static Result<std::unique_ptr<LoadedCheckpoint>> Load(const Manifest& manifest);

  const Manifest& manifest() const { return manifest_; }
  const std::vector<SavedTask>& tasks() const { return tasks_; }
  /// Operators without their sections (use Sections()).
  const std::vector<SavedOperatorState>& operators() const { return operators_; }
  const std::vector<SavedSource>& sources() const { return sources_; }
  const std::vector<SavedSink>& sinks() const { return sinks_; }
  uint64_t state_bytes() const { return state_bytes_; }

  /// The sections operator `uid` instance `instance` saved (they point into the loaded file,
  /// which the returned view keeps alive).
  Result<std::shared_ptr<const StateSectionsView>> Sections(const std::string& uid,
                                                            int instance) const;
  const SavedSource* Source(const std::string& uid) const;
  const SavedSink* Sink(const std::string& uid) const;

 private:
  LoadedCheckpoint() = default;

  Manifest manifest_;
  std::vector<SavedTask> tasks_;
  std::vector<SavedOperatorState> operators_;
  std::vector<SavedSource> sources_;
  std::vector<SavedSink> sinks_;
  std::shared_ptr<StateFileReader> state_;
  uint64_t state_bytes_ = 0;
};

}  // namespace sluice
