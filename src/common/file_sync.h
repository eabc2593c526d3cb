#pragma once
// Durable file-system steps shared by checkpoints, sinks and state backends: a rename or a new
// directory entry survives a crash only once its directory is synced.

#include <string>

#include "common/status.h"

namespace sluice {

/// fsync()s `path` (a file).
Status SyncFile(const std::string& path);
/// fsync()s the directory `dir`, so renames and new entries in it survive a crash.
Status SyncDirectory(const std::string& dir);

}  // namespace sluice
