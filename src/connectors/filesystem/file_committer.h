#pragma once
// The exactly-once half of the file sink (docs/design/checkpoints.md §3.4): what a writer stages
// for a checkpoint (its hidden parts) and the committer that makes them visible by renaming.
//
// Committable (JSON):
//   {"dir":"/out","parts":[{"hidden":".part-1a2b3c4d-<run>-0-3.json.inprogress",
//                           "final":"part-1a2b3c4d-<run>-0-3.json","size":1234}, ...]}
// Commit renames hidden -> final in `dir`. It is idempotent: a part whose hidden file is gone
// but whose final file has the recorded size was committed before; neither file is an error
// (the staged output was lost). CrashPoint("file-mid-rename") lies between two renames.

#include <cstdint>
#include <string>
#include <vector>

#include "common/file_sync.h"
#include "common/status.h"
#include "runtime/sink.h"

namespace sluice {

/// One staged part file: names within the committable's directory and its size in bytes.
struct StagedPart {
  std::string hidden;
  std::string final_name;
  int64_t size = 0;
};

struct StagedParts {
  std::string dir;
  std::vector<StagedPart> parts;
};

std::string EncodeStagedParts(const StagedParts& staged);
Result<StagedParts> DecodeStagedParts(const std::string& data);

class FileCommitter final : public SinkCommitter {
 public:
  /// `directory`: the sink's directory; `hidden_prefix`: ".part-<sink uid8>-", the start of
  /// every staged file of this sink (of any run) — Recover deletes those nothing references.
  FileCommitter(std::string directory, std::string hidden_prefix)
      : directory_(std::move(directory)), hidden_prefix_(std::move(hidden_prefix)) {}

  Status Recover(CheckpointId restored, const std::vector<Committable>& pending) override;
  Status Commit(CheckpointId id, const std::vector<Committable>& committables) override;

 private:
  std::string directory_;
  std::string hidden_prefix_;
};

}  // namespace sluice
