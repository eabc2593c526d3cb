#include "checkpoint/checkpoint_coordinator.h"

#include <chrono>
#include <cstdio>

#include "common/crash_point.h"
#include "runtime/source_task.h"

namespace sluice {

namespace {

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t WallMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

CheckpointCoordinator::CheckpointCoordinator(CheckpointStorage* storage, CheckpointConfig config,
                                             CheckpointJobLayout layout, CheckpointId last_id,
                                             std::function<void(const Status&)> on_failure)
    : storage_(storage),
      config_(std::move(config)),
      layout_(std::move(layout)),
      on_failure_(std::move(on_failure)),
      last_id_(last_id),
      carried_(layout_.sinks.size()),
      committed_(layout_.sinks.size()) {
  stats_.last_id = last_id;
}

CheckpointCoordinator::~CheckpointCoordinator() {
  Stop();
}

void CheckpointCoordinator::SetLayout(CheckpointJobLayout layout) {
  std::lock_guard<std::mutex> lock(mutex_);
  layout_ = std::move(layout);
  carried_.assign(layout_.sinks.size(), {});
  committed_.assign(layout_.sinks.size(), {});
}

void CheckpointCoordinator::Start() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (running_) return;
  running_ = true;
  next_trigger_micros_ = NowMicros() + config_.interval_micros;
  thread_ = std::thread([this] { Loop(); });
}

void CheckpointCoordinator::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  running_ = false;
  stopping_ = false;
}

void CheckpointCoordinator::RequestSavepoint(
    bool stop, std::function<void(const Status&, const std::string&)> done) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    savepoint_request_ = SavepointRequest{stop, std::move(done)};
  }
  wake_.notify_all();
}

void CheckpointCoordinator::Acknowledge(int task, TaskSnapshot snapshot) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!pending_ || pending_->id != snapshot.id) {
      // The checkpoint was abandoned before this task got to it. Its state is dropped, but the
      // epoch its sink pre-committed must still be committed — by the next checkpoint.
      const int sink = layout_.tasks[task].sink;
      if (sink >= 0 && snapshot.committable && !snapshot.committable->data.empty()) {
        carried_[sink].push_back(std::move(*snapshot.committable));
      }
      return;
    }
    pending_->acks[task] = std::move(snapshot);
  }
  wake_.notify_all();
}

void CheckpointCoordinator::Decline(int task, CheckpointId id, const Status& why) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!pending_ || pending_->id != id) return;
    pending_->declined = why;
  }
  wake_.notify_all();
}

void CheckpointCoordinator::TaskFinished(int task, TaskSnapshot final_snapshot) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    finished_[task] = std::make_shared<const TaskSnapshot>(std::move(final_snapshot));
  }
  wake_.notify_all();
}

CheckpointStats CheckpointCoordinator::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

bool CheckpointCoordinator::AllAccounted() const {
  for (size_t t = 0; t < layout_.tasks.size(); ++t) {
    const int task = static_cast<int>(t);
    if (!pending_->acks.count(task) && !finished_.count(task)) return false;
  }
  return true;
}

void CheckpointCoordinator::MaybeTrigger(int64_t now) {
  if (pending_ || failed_) return;
  const bool savepoint = savepoint_request_.has_value();
  if (!savepoint && (config_.interval_micros <= 0 || now < next_trigger_micros_)) return;
  if (finished_.size() == layout_.tasks.size()) return;  // CompleteFinal takes the last one
  Pending pending;
  pending.id = ++last_id_;
  pending.started_micros = now;
  pending.started_wall_micros = WallMicros();
  if (savepoint) {
    pending.kind = SnapshotKind::kSavepoint;
    pending.stop = savepoint_request_->stop;
    savepoint_in_flight_ = std::move(savepoint_request_);
    savepoint_request_.reset();
  }
  Barrier barrier{pending.id, pending.kind, pending.stop};
  pending_ = std::move(pending);
  for (size_t t = 0; t < layout_.tasks.size(); ++t) {
    SourceTask* source = layout_.tasks[t].source_task;
    if (source && !finished_.count(static_cast<int>(t))) source->TriggerBarrier(barrier);
  }
}

void CheckpointCoordinator::Fail(const Status& status) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (failed_) return;
    failed_ = true;
  }
  if (on_failure_) on_failure_(status);
}

void CheckpointCoordinator::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    const int64_t now = NowMicros();
    MaybeTrigger(now);
    if (pending_ && !failed_) {
      const bool timed_out = now - pending_->started_micros > config_.timeout_micros;
      if (pending_->declined || timed_out) {
        std::fprintf(stderr, "sluice: checkpoint %lld abandoned: %s\n",
                     static_cast<long long>(pending_->id),
                     pending_->declined ? pending_->declined->ToString().c_str()
                                        : "timed out ('execution.checkpointing.timeout')");
        for (auto& [task, snapshot] : pending_->acks) {
          const int sink = layout_.tasks[task].sink;
          if (sink >= 0 && snapshot.committable && !snapshot.committable->data.empty()) {
            carried_[sink].push_back(*snapshot.committable);
          }
        }
        if (savepoint_in_flight_) {
          auto done = std::move(savepoint_in_flight_->done);
          savepoint_in_flight_.reset();
          lock.unlock();
          if (done) done(Status::RuntimeError("the savepoint was abandoned"), "");
          lock.lock();
        }
        pending_.reset();
        ++stats_.abandoned;
        next_trigger_micros_ = now + std::max(config_.interval_micros, config_.min_pause_micros);
        continue;
      }
      if (AllAccounted()) {
        Pending pending = std::move(*pending_);
        pending_.reset();
        std::map<int, std::shared_ptr<const TaskSnapshot>> finished = finished_;
        std::vector<std::vector<Committable>> carried = TakeCarried();
        std::optional<SavepointRequest> savepoint = std::move(savepoint_in_flight_);
        savepoint_in_flight_.reset();
        lock.unlock();
        const CheckpointId id = pending.id;
        Status status = Complete(std::move(pending), finished, std::move(carried));
        if (savepoint && savepoint->done) {
          savepoint->done(status, storage_->directory() + "/" + CheckpointDirectoryName(id));
        }
        if (!status.ok()) Fail(status);
        lock.lock();
        next_trigger_micros_ =
            NowMicros() + std::max(config_.interval_micros, config_.min_pause_micros);
        continue;
      }
    }
    int64_t wait = 100'000;
    if (!pending_ && config_.interval_micros > 0) {
      wait = std::max<int64_t>(1'000, std::min<int64_t>(wait, next_trigger_micros_ - now));
    }
    wake_.wait_for(lock, std::chrono::microseconds(wait));
  }
}

std::vector<std::vector<Committable>> CheckpointCoordinator::TakeCarried() {
  std::vector<std::vector<Committable>> carried(layout_.sinks.size());
  carried.swap(carried_);
  return carried;
}

CheckpointData CheckpointCoordinator::Assemble(
    const Pending& pending, const std::map<int, std::shared_ptr<const TaskSnapshot>>& finished,
    std::vector<std::vector<Committable>> carried,
    std::vector<std::vector<Committable>>* to_commit) {
  CheckpointData data;
  for (const auto& source : layout_.sources) data.sources.push_back({source.uid, source.table});
  for (const auto& sink : layout_.sinks) data.sinks.push_back({sink.uid, sink.table});
  *to_commit = std::move(carried);
  for (size_t t = 0; t < layout_.tasks.size(); ++t) {
    const CheckpointJobLayout::Task& task = layout_.tasks[t];
    auto ack = pending.acks.find(static_cast<int>(t));
    const TaskSnapshot& snapshot =
        ack != pending.acks.end() ? ack->second : *finished.at(static_cast<int>(t));
    data.tasks.push_back({task.key, task.instance, task.parallelism, snapshot.task_state});
    for (const OperatorStateSnapshot& op : snapshot.operators) {
      auto it = layout_.operators.find(op.node_id);
      if (it == layout_.operators.end()) continue;
      for (const StateSection& section : op.sections) {
        if (section.name != kSharedFilesSection) continue;
        size_t begin = 0;
        while (begin < section.data.size()) {
          size_t end = section.data.find('\n', begin);
          if (end == std::string::npos) end = section.data.size();
          if (end > begin) data.shared_files.push_back(section.data.substr(begin, end - begin));
          begin = end + 1;
        }
      }
      data.operators.push_back({it->second.uid, it->second.kind, it->second.signature,
                                task.instance, task.parallelism, &op.sections});
    }
    if (task.source >= 0) {
      SavedSource& source = data.sources[task.source];
      source.positions.insert(source.positions.end(), snapshot.positions.begin(),
                              snapshot.positions.end());
      source.watermarks.insert(source.watermarks.end(), snapshot.watermarks.begin(),
                               snapshot.watermarks.end());
    }
    if (task.sink >= 0 && snapshot.committable && !snapshot.committable->data.empty()) {
      const Committable& c = *snapshot.committable;
      auto done = committed_[task.sink].find(c.writer);
      if (done == committed_[task.sink].end() || done->second < c.checkpoint) {
        (*to_commit)[task.sink].push_back(c);
      }
    }
  }
  for (size_t s = 0; s < layout_.sinks.size(); ++s) data.sinks[s].committables = (*to_commit)[s];
  return data;
}

Status CheckpointCoordinator::Complete(
    Pending pending, const std::map<int, std::shared_ptr<const TaskSnapshot>>& finished,
    std::vector<std::vector<Committable>> carried) {
  std::vector<std::vector<Committable>> to_commit;
  CheckpointData data = Assemble(pending, finished, std::move(carried), &to_commit);
  auto directory = storage_->PendingDirectory(pending.id);
  if (!directory.ok()) return directory.status();
  uint64_t bytes = 0;
  auto body = WriteCheckpointData(data, *directory, &bytes);
  if (!body.ok()) return body.status().WithContext("checkpoint " + std::to_string(pending.id));
  Manifest manifest;
  manifest.id = pending.id;
  manifest.kind = pending.kind;
  manifest.pipeline = config_.pipeline;
  manifest.created_micros = WallMicros();
  manifest.body = std::move(body).value();
  SLUICE_RETURN_IF_ERROR(storage_->Complete(manifest));
  CrashPoint("after-manifest");

  for (size_t s = 0; s < layout_.sources.size(); ++s) {
    Status notified =
        layout_.sources[s].source->NotifyCheckpointComplete(pending.id, data.sources[s].positions);
    if (!notified.ok()) {
      std::fprintf(stderr, "sluice: table '%s': after checkpoint %lld: %s\n",
                   layout_.sources[s].table.c_str(), static_cast<long long>(pending.id),
                   notified.ToString().c_str());
    }
  }
  for (size_t s = 0; s < layout_.sinks.size(); ++s) {
    SinkCommitter* committer = layout_.sinks[s].committer;
    if (!committer || to_commit[s].empty()) continue;
    Status committed = committer->Commit(pending.id, to_commit[s]);
    if (!committed.ok()) {
      return committed.WithContext("sink '" + layout_.sinks[s].table + "': committing checkpoint " +
                                   std::to_string(pending.id));
    }
    for (const Committable& c : to_commit[s]) {
      CheckpointId& done = committed_[s][c.writer];
      done = std::max(done, c.checkpoint);
    }
  }
  SLUICE_RETURN_IF_ERROR(storage_->Retain(config_.retained));
  // No barrier is in flight here (the next is triggered after this returns), but a finishing
  // task may have linked files for its final snapshot: only files older than this checkpoint's
  // trigger that no retained checkpoint lists can go.
  // (A second of margin: file times come from the kernel's coarse clock.)
  SLUICE_RETURN_IF_ERROR(storage_->CollectSharedGarbage(pending.started_wall_micros - 1'000'000));

  std::lock_guard<std::mutex> lock(mutex_);
  ++stats_.completed;
  stats_.last_id = pending.id;
  stats_.last_duration_micros = NowMicros() - pending.started_micros;
  stats_.last_state_bytes = bytes;
  return Status::OK();
}

Status CheckpointCoordinator::CompleteFinal() {
  Stop();
  std::optional<Pending> pending;
  std::map<int, std::shared_ptr<const TaskSnapshot>> finished;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (failed_) return Status::RuntimeError("a checkpoint commit failed");
    if (finished_.size() != layout_.tasks.size()) {
      return Status::Internal("final checkpoint before every task finished");
    }
    finished = finished_;
    pending = std::move(pending_);
    pending_.reset();
    if (pending) {
      // Every task finished, so the one in flight is complete as far as it goes: it is
      // superseded by the final checkpoint, but its committables must not be lost.
      for (auto& [task, snapshot] : pending->acks) {
        const int sink = layout_.tasks[task].sink;
        if (sink >= 0 && snapshot.committable && !snapshot.committable->data.empty()) {
          carried_[sink].push_back(*snapshot.committable);
        }
      }
    }
  }
  Pending final_checkpoint;
  std::vector<std::vector<Committable>> carried;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    final_checkpoint.id = ++last_id_;
    carried = TakeCarried();
  }
  final_checkpoint.started_micros = NowMicros();
  final_checkpoint.started_wall_micros = WallMicros();
  return Complete(std::move(final_checkpoint), finished, std::move(carried));
}

}  // namespace sluice
