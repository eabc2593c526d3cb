#pragma once
// Task: one parallel instance of a stage, run start to finish on its own thread by the TaskGroup.
//
// Run() returns OK when the task's stream ended normally, kCancelled when it noticed a stop
// request (or a cancelled channel), or the error that ended it; the TaskGroup cancels the whole
// job on the first error. A task must check RunControl at every blocking point so that a stop
// request ends it promptly.

#include <string>

#include "common/status.h"
#include "runtime/run_control.h"

namespace sluice {

class Task {
 public:
  virtual ~Task() = default;
  /// "stage 1 (2/4)", for errors and logs.
  virtual std::string Name() const = 0;
  virtual Status Run(RunControl& control) = 0;
};

}  // namespace sluice
