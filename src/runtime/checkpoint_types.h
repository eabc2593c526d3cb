#pragma once
// The vocabulary of checkpoints shared by the runtime, operators, connectors and the checkpoint
// coordinator (docs/design/checkpoints.md §1, §6).
//
// A checkpoint N is a consistent cut through the running job: every source's position after the
// rows it handed over before barrier N, every operator's state after it processed exactly those
// rows, and every sink's output up to barrier N staged durably but not yet visible (its
// committable). The cut is complete when MANIFEST.json is written; only then do sinks make the
// staged output visible (SinkCommitter::Commit).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sluice {

/// Checkpoint ids grow and are never reused within a pipeline (incomplete ones included).
using CheckpointId = int64_t;

enum class SnapshotKind : uint8_t {
  kCheckpoint,  // periodic; the newest N are retained
  kSavepoint,   // asked for by the user; self-contained, never deleted automatically
};

/// Travels with the data, in order, from every source task to every sink (message.h).
struct Barrier {
  CheckpointId id = 0;
  SnapshotKind kind = SnapshotKind::kCheckpoint;
  /// The job stops once this snapshot is complete and committed (stop with savepoint): sources
  /// emit no row after the barrier.
  bool stop = false;
};

/// Where one stream of a source is (a Kafka partition, a file, a generator's share). `stream` is
/// a name stable across runs and parallelism ("orders/3", "file:/data/a.json", "datagen:0/4");
/// `state` is the reader's own encoding (small JSON text by convention: {"next":1234}).
struct StreamPosition {
  std::string stream;
  std::string state;
};

/// A named piece of an operator's or task's state. Operators copy their state into sections on
/// the task thread (the synchronous part of a snapshot); the coordinator writes them to disk on
/// its own thread, so the task goes on processing while the files are written and synced.
struct StateSection {
  std::string name;
  std::string data;
};
using StateSections = std::vector<StateSection>;

/// A section an operator adds when its checkpoint needs files outside the checkpoint directory
/// (RocksDB SSTs kept once in <pipeline>/shared/): one absolute path per line. The coordinator
/// lists them in the manifest; retention deletes shared files no retained checkpoint lists.
inline constexpr std::string_view kSharedFilesSection = "shared_files";

/// Read access to sections restored from a checkpoint.
class StateSectionsView {
 public:
  virtual ~StateSectionsView() = default;
  /// The section named `name`, or NotFound naming it.
  virtual Result<std::string_view> Get(std::string_view name) const = 0;
  virtual bool Has(std::string_view name) const = 0;
};

/// An in-memory view (tests, and sections handed over without a file).
class InMemorySections : public StateSectionsView {
 public:
  explicit InMemorySections(StateSections sections) : sections_(std::move(sections)) {}
  Result<std::string_view> Get(std::string_view name) const override {
    for (const StateSection& s : sections_) {
      if (s.name == name) return std::string_view(s.data);
    }
    return Status::NotFound("state section '" + std::string(name) + "' is missing");
  }
  bool Has(std::string_view name) const override {
    for (const StateSection& s : sections_) {
      if (s.name == name) return true;
    }
    return false;
  }

 private:
  StateSections sections_;
};

/// What a sink writer staged for checkpoint `checkpoint` (its pre-committed output), handed to
/// the sink's committer once the checkpoint is complete. `data` is the writer's own encoding
/// (a transactional id and a log path, a staging-table epoch, hidden file names).
struct Committable {
  int writer = 0;
  CheckpointId checkpoint = 0;
  std::string data;
};

}  // namespace sluice
