#pragma once
// TaskGroup: runs the tasks of one job, a thread each, and owns the channels between them.
//
// Lifecycle: build (AddChannel/AddTask, single thread), then Run() once: it starts every task's
// thread and blocks until all have returned. The first task error cancels the rest (stop: every
// channel is cancelled so no task stays blocked) and is what Run() returns. Cancel() may be
// called from any thread at any time, before or during Run(): drain lets the job end cleanly,
// stop ends it now and makes Run() return kCancelled.

#include <memory>
#include <mutex>
#include <vector>

#include "runtime/channel.h"
#include "runtime/run_control.h"
#include "runtime/task.h"

namespace sluice {

class TaskGroup {
 public:
  TaskGroup() = default;
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;
  ~TaskGroup();

  Channel* AddChannel(size_t capacity, int num_producers);
  void AddTask(std::unique_ptr<Task> task);

  Status Run();
  void Cancel(bool drain);

  RunControl& control() { return control_; }
  size_t num_tasks() const { return tasks_.size(); }

 private:
  void OnTaskDone(const Task& task, const Status& status);
  void StopAll();

  std::vector<std::unique_ptr<Channel>> channels_;
  std::vector<std::unique_ptr<Task>> tasks_;
  RunControl control_;
  std::mutex mutex_;
  Status first_error_;
  bool user_stopped_ = false;
};

}  // namespace sluice
