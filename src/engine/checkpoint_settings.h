#pragma once
// CheckpointSettings: the session options that turn checkpoints on and shape them, read and
// checked once (Flink's names; docs/design/checkpoints.md §6):
//   execution.checkpointing.interval       a duration; unset or 0: no checkpoints
//   execution.checkpointing.timeout        abandon a checkpoint after this long (10 min)
//   execution.checkpointing.min-pause      between the end of one and the start of the next (0)
//   state.checkpoints.dir                  required with an interval: <dir>/<pipeline.name>/
//   state.checkpoints.num-retained         complete checkpoints kept (1)
//   pipeline.name                          names the pipeline's checkpoint directory (the CLI
//                                          defaults it to the SQL file's name)

#include <string>

#include "checkpoint/checkpoint_coordinator.h"
#include "runtime/session_config.h"

namespace sluice {

struct CheckpointSettings {
  bool enabled = false;
  std::string directory;  // state.checkpoints.dir
  CheckpointConfig config;

  static Result<CheckpointSettings> FromSession(const SessionConfig& session);
};

}  // namespace sluice
