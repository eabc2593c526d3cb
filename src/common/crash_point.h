#pragma once
// Crash points: a test-only hook that kills the process at a named place, for windows too narrow
// to hit with a random kill -9 (between a sink's commit and its marker, mid-rename, ...).
//
//   SLUICE_CRASH_POINT=<name>[:<k>]   raise(SIGKILL) the k-th time (default 1st) the process
//                                     passes CrashPoint("<name>")
//
// Costs one relaxed atomic load per call when the variable is unset. Names in use are listed in
// docs/design/checkpoints.md §7 and grep-able as CrashPoint(".
#include <string_view>

namespace sluice {

void CrashPoint(std::string_view name);

}  // namespace sluice
