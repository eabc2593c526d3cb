#pragma once
// Flink's MemorySize text: "128mb", "128 MB", "64k", "1gb", "1024" (bytes). Units are powers of
// 1024: b/bytes, k/kb/kibibytes, m/mb/mebibytes, g/gb/gibibytes, t/tb/tebibytes.

#include <cstdint>
#include <string>

#include "common/status.h"

namespace sluice {

Result<int64_t> ParseMemorySize(const std::string& text);

}  // namespace sluice
