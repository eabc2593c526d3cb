#include "runtime/task_group.h"

#include <thread>

namespace sluice {

TaskGroup::~TaskGroup() = default;

Channel* TaskGroup::AddChannel(size_t capacity, int num_producers) {
  channels_.push_back(std::make_unique<Channel>(capacity, num_producers));
  return channels_.back().get();
}

void TaskGroup::AddTask(std::unique_ptr<Task> task) {
  tasks_.push_back(std::move(task));
}

void TaskGroup::StopAll() {
  control_.RequestStop();
  for (auto& channel : channels_) channel->Cancel();
}

void TaskGroup::OnTaskDone(const Task& task, const Status& status) {
  if (status.ok()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // Cancellations caused by a stop are consequences, not causes.
    bool consequence = status.code() == ErrorCode::kCancelled && control_.stop_requested();
    if (first_error_.ok() && !user_stopped_ && !consequence) {
      first_error_ = status.WithContext(task.Name());
    }
  }
  StopAll();
}

Status TaskGroup::Run() {
  std::vector<std::thread> threads;
  threads.reserve(tasks_.size());
  for (auto& task : tasks_) {
    Task* t = task.get();
    threads.emplace_back([this, t] { OnTaskDone(*t, t->Run(control_)); });
  }
  for (auto& thread : threads) thread.join();
  std::lock_guard<std::mutex> lock(mutex_);
  if (!first_error_.ok()) return first_error_;
  if (user_stopped_) return Status::Cancelled("job cancelled");
  return Status::OK();
}

void TaskGroup::Cancel(bool drain) {
  if (drain) {
    control_.RequestDrain();
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    user_stopped_ = true;
  }
  StopAll();
}

}  // namespace sluice
