#include "connectors/datagen/generator_position.h"

#include <charconv>
#include <cstdio>

namespace sluice {

Status CheckSavedParallelism(std::string_view connector,
                             const std::vector<StreamPosition>& positions, int splits) {
  const std::string prefix = std::string(connector) + ":";
  for (const StreamPosition& position : positions) {
    std::string_view stream = position.stream;
    if (stream.substr(0, prefix.size()) != prefix) continue;  // not one of this connector's
    const size_t slash = stream.rfind('/');
    int saved = 0;
    const char* end = stream.data() + stream.size();
    if (slash == std::string_view::npos ||
        std::from_chars(stream.data() + slash + 1, end, saved).ptr != end || saved <= 0) {
      return Status::InvalidArgument(std::string(connector) +
                                     " source: unexpected stream name in the checkpoint: '" +
                                     std::string(stream) + "'");
    }
    if (saved != splits) {
      return Status::InvalidArgument(
          std::string(connector) + " source: the checkpoint was taken at parallelism " +
          std::to_string(saved) + ", but the source now runs at parallelism " +
          std::to_string(splits) + "; a generator resumes only at the parallelism it was " +
          "saved with (set it back to " + std::to_string(saved) + ")");
    }
  }
  return Status::OK();
}

const StreamPosition* FindStreamPosition(const std::vector<StreamPosition>& positions,
                                         std::string_view stream) {
  for (const StreamPosition& position : positions) {
    if (position.stream == stream) return &position;
  }
  return nullptr;
}

std::string HexState(uint64_t value) {
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(value));
  return buf;
}

bool ParseHexState(std::string_view text, uint64_t* value) {
  if (text.empty() || text.size() > 16) return false;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *value, 16);
  return ec == std::errc() && ptr == end;
}

}  // namespace sluice
