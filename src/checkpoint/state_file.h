#pragma once
// State files: what one task or operator instance writes into a checkpoint directory — a list of
// named sections of bytes, each checked by a CRC32, the file ended by a footer so that a
// truncated file (a crash while writing) is recognised rather than half-restored
// (docs/design/checkpoints.md §4.1).
//
//   "SLUICEST" u32 version=1
//   section*:  u32 name size, name, u64 data size, data, u32 crc32(name + data)
//   footer:    u32 section count, "SLSTEND!"
//
// Integers are little-endian. The writer builds the file under a temporary name and renames it
// when Finish() has synced it; the reader loads the whole file and verifies every section before
// any is handed out.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sluice {

class StateFileWriter {
 public:
  /// Starts `path` (written as `path` + ".tmp" until Finish()).
  static Result<std::unique_ptr<StateFileWriter>> Create(std::string path);
  ~StateFileWriter();

  /// Appends a section; names must be unique within the file.
  Status AddSection(std::string_view name, std::string_view data);
  /// Appends a section whose data is the concatenation of `parts` (written without joining
  /// them: a GB of operator state is not copied once more).
  Status AddSection(std::string_view name, const std::vector<std::string_view>& parts);
  /// Writes the footer, syncs, and renames the file into place.
  Status Finish();

 private:
  StateFileWriter() = default;
  Status Write(std::string_view bytes);

  std::string path_;
  int fd_ = -1;
  uint32_t sections_ = 0;
  std::vector<std::string> names_;
};

class StateFileReader {
 public:
  /// Reads and verifies the whole file: bad magic, a truncated file, a CRC mismatch are
  /// errors naming the file.
  static Result<std::unique_ptr<StateFileReader>> Open(const std::string& path);

  /// The section named `name`, or NotFound.
  Result<std::string_view> Section(std::string_view name) const;
  std::vector<std::string> SectionNames() const;

 private:
  StateFileReader() = default;

  std::string path_;
  std::string contents_;
  std::map<std::string, std::string_view, std::less<>> sections_;
};

}  // namespace sluice
