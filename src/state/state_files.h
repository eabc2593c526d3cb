#pragma once
// File operations of RocksDB checkpoints and restores: hard links (one file system, the design's
// assumption, §10) with a copy as the fallback, durable copies, directory syncs.

#include <cstdint>
#include <string>

#include "common/file_sync.h"
#include "common/status.h"

namespace sluice {

/// Hard-links `from` to `to`; copies (and syncs) when linking is impossible (another file
/// system, no link support). `to` must not exist.
Status LinkOrCopyFile(const std::string& from, const std::string& to);
/// Copies `from` to `to` (replacing it) and fsyncs the copy.
Status CopyFileSynced(const std::string& from, const std::string& to);
/// Creates `dir` and its parents.
Status CreateDirectories(const std::string& dir);
/// Removes `dir` and everything below it (nothing when it does not exist).
Status RemoveTree(const std::string& dir);
/// The size of a regular file; NotFound when there is none.
Result<uint64_t> RegularFileSize(const std::string& path);
/// RocksDB's crc32c file checksum of `path` (the same function its SST checksums use).
Result<std::string> FileCrc32c(const std::string& path);

}  // namespace sluice
