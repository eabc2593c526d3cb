// Job: the checkpoint side — storage, what to resume from, sink recovery, per-task restore.
// (docs/design/checkpoints.md §3.5: startup order.)

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <set>

#include "engine/job.h"
#include "exec/plan/state_compat.h"
#include "runtime/task_snapshot.h"

namespace sluice {

namespace {

std::string RunId() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::to_string(::getpid()) + "x" +
         std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
}

}  // namespace

std::string Job::StageKey(const Stage& stage) const {
  const PlanNode* first = stage.source               ? static_cast<const PlanNode*>(stage.source)
                          : !stage.operators.empty() ? stage.operators.front()
                                                     : static_cast<const PlanNode*>(stage.sink);
  auto it = first ? uids_.find(first) : uids_.end();
  return it != uids_.end() ? it->second : "stage-" + std::to_string(stage.id);
}

Status Job::SetUpStateBackend() {
  run_id_ = RunId();
  const std::string backend = session_.Get("state.backend").value_or("hashmap");
  if (backend == "hashmap" || backend == "heap") return Status::OK();
  if (backend != "rocksdb") {
    return Status::InvalidOption(
        "'state.backend' must be 'hashmap' (state on the heap) or "
        "'rocksdb' (state larger than memory), got '" +
        backend + "'");
  }
  if (auto dir = session_.Get("state.backend.rocksdb.localdir")) {
    rocksdb_dir_ = *dir;
  } else if (checkpoints_.enabled) {
    rocksdb_dir_ = checkpoints_.directory + "/" + checkpoints_.config.pipeline + "/rocksdb";
  } else {
    return Status::InvalidOption(
        "'state.backend' = 'rocksdb' needs a local directory: SET "
        "'state.backend.rocksdb.localdir' (or turn checkpoints on, which keeps it beside them)");
  }
  if (auto resident = session_.Get("state.backend.rocksdb.resident-keys")) {
    char* end = nullptr;
    long long n = std::strtoll(resident->c_str(), &end, 10);
    if (end == resident->c_str() || *end != '\0' || n < 1) {
      return Status::InvalidOption(
          "'state.backend.rocksdb.resident-keys' must be a positive number of keys, got '" +
          *resident + "'");
    }
    resident_groups_ = static_cast<size_t>(n);
  }
  SLUICE_ASSIGN_OR_RETURN(RocksDbEnvironmentOptions options,
                          RocksDbEnvironmentOptions::FromConfig(session_));
  SLUICE_ASSIGN_OR_RETURN(rocksdb_env_, RocksDbEnvironment::Create(std::move(options)));
  return Status::OK();
}

Status Job::SetUpCheckpoints() {
  SLUICE_ASSIGN_OR_RETURN(
      storage_, CheckpointStorage::Open(checkpoints_.directory, checkpoints_.config.pipeline));
  std::optional<Manifest> manifest;
  if (!options_.restore_from.empty()) {
    SLUICE_ASSIGN_OR_RETURN(Manifest chosen, ReadManifest(options_.restore_from));
    manifest = std::move(chosen);
  } else {
    SLUICE_ASSIGN_OR_RETURN(manifest, storage_->Latest());
  }
  if (manifest) {
    const auto start = std::chrono::steady_clock::now();
    restore_started_micros_ =
        std::chrono::duration_cast<std::chrono::microseconds>(start.time_since_epoch()).count();
    auto loaded = LoadedCheckpoint::Load(*manifest);
    if (!loaded.ok()) return loaded.status().WithContext("restoring " + manifest->directory);
    restored_ = std::move(loaded).value();
    SLUICE_RETURN_IF_ERROR(CheckStateCompatibility());
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    char line[256];
    std::snprintf(line, sizeof(line), "restored %s %lld (%.1f MB of state) from %s in %.2f s\n",
                  manifest->kind == SnapshotKind::kSavepoint ? "savepoint" : "checkpoint",
                  static_cast<long long>(manifest->id), restored_->state_bytes() / 1e6,
                  manifest->directory.c_str(), seconds);
    restore_report_ += line;
  }
  SLUICE_RETURN_IF_ERROR(RecoverSinks());
  // Output staged by unfinished checkpoints was discarded by the sinks' recovery; now their
  // directories go too.
  SLUICE_RETURN_IF_ERROR(storage_->RemoveIncomplete());
  SLUICE_ASSIGN_OR_RETURN(CheckpointId highest, storage_->HighestId());
  if (restored_) highest = std::max(highest, restored_->manifest().id);
  coordinator_ = std::make_unique<CheckpointCoordinator>(
      storage_.get(), checkpoints_.config, CheckpointJobLayout{}, highest,
      [this](const Status& status) {
        {
          std::lock_guard<std::mutex> lock(failure_mutex_);
          if (checkpoint_failure_.ok()) checkpoint_failure_ = status;
        }
        group_.Cancel(/*drain=*/false);
      });
  return Status::OK();
}

Status Job::CheckStateCompatibility() {
  // Operators: the report names what is restored, what starts empty and, for state no operator
  // takes, the closest current operator and what changed.
  std::vector<SavedOperator> old_ops;
  std::set<std::string> seen;
  for (const SavedOperatorState& op : restored_->operators()) {
    if (!seen.insert(op.uid).second) continue;
    old_ops.push_back({op.uid, op.kind, op.signature, op.parallelism});
  }
  std::vector<OperatorSignatureWithUid> new_ops;
  for (const auto& [node, signed_node] : signatures_) {
    if (HasOperatorState(*node) && node->kind != PlanKind::kScan && node->kind != PlanKind::kSink) {
      new_ops.push_back(signed_node);
    }
  }
  StateCompatReport report = Compare(old_ops, new_ops);
  std::string dropped;
  for (const std::string& line : report.lines) {
    if (line.rfind("DROPPED", 0) == 0) dropped += "\n  " + line;
  }
  std::set<std::string> current;
  for (const auto& [node, uid] : uids_) current.insert(uid);
  for (const SavedSource& source : restored_->sources()) {
    if (current.count(source.uid)) continue;
    dropped += "\n  DROPPED positions of table '" + source.table + "' (" + source.uid + ")";
  }
  if (dropped.empty()) return Status::OK();
  if (options_.allow_non_restored_state) {
    restore_report_ += "state not restored (--allow-non-restored-state):" + dropped + "\n";
    return Status::OK();
  }
  return Status::InvalidArgument(
      "checkpoint " + std::to_string(restored_->manifest().id) +
      " holds state that no operator of this pipeline takes (the SQL changed?):" + dropped +
      "\nrun with --allow-non-restored-state to drop it, or restore into the SQL that wrote it");
}

Status Job::RecoverSinks() {
  const CheckpointId restored = restored_ ? restored_->manifest().id : 0;
  const std::string& run_id = run_id_;
  for (auto& [node, target] : connectors_.sinks) {
    const std::string& uid = uids_.at(node);
    SinkCheckpointing checkpointing{checkpoints_.config.pipeline, uid, storage_->directory(),
                                    run_id};
    const std::string where = "sink '" + node->table->name + "'";
    SLUICE_RETURN_IF_ERROR(target.sink->EnableCheckpointing(checkpointing).WithContext(where));
    SLUICE_ASSIGN_OR_RETURN(auto committer, target.sink->CreateCommitter());
    if (!committer) continue;
    std::vector<Committable> pending;
    if (restored_) {
      if (const SavedSink* saved = restored_->Sink(uid)) pending = saved->committables;
    }
    SLUICE_RETURN_IF_ERROR(committer->Recover(restored, pending).WithContext(where));
    committers_by_uid_[uid] = committer.get();
    committers_.push_back(std::move(committer));
  }
  return Status::OK();
}

std::shared_ptr<const TaskRestore> Job::RestoreFor(const Stage& stage, int instance) {
  if (!restored_) return nullptr;
  auto restore = std::make_shared<TaskRestore>();
  restore->checkpoint = restored_->manifest().id;
  restore->restored_at_micros = &restored_at_micros_;
  const std::string key = StageKey(stage);
  std::optional<int64_t> chain_min;
  for (const SavedTask& task : restored_->tasks()) {
    if (task.key != key) continue;
    int64_t chain = 0;
    std::vector<int64_t> inputs;
    if (!DecodeTaskState(task.state, &chain, &inputs).ok()) continue;
    if (task.parallelism == stage.parallelism) {
      if (task.instance != instance) continue;
      restore->chain_watermark = chain;
      restore->input_watermarks = std::move(inputs);
      break;
    }
    chain_min = std::min(chain_min.value_or(std::numeric_limits<int64_t>::max()), chain);
  }
  if (!restore->chain_watermark && chain_min) restore->chain_watermark = chain_min;
  if (stage.source) {
    if (const SavedSource* source = restored_->Source(uids_.at(stage.source))) {
      restore->positions = source->positions;
      restore->stream_watermarks = source->watermarks;
    }
  }
  for (const PlanNode* node : stage.operators) {
    auto uid = uids_.find(node);
    if (uid == uids_.end()) continue;
    OperatorRestore op;
    for (const SavedOperatorState& saved : restored_->operators()) {
      if (saved.uid != uid->second) continue;
      op.old_parallelism = saved.parallelism;
      if (saved.parallelism == stage.parallelism && saved.instance != instance) continue;
      auto view = restored_->Sections(saved.uid, saved.instance);
      if (!view.ok()) continue;  // verified at load: cannot happen short of a bug
      op.parts.push_back(view->get());
      restore->views.push_back(std::move(view).value());
    }
    if (!op.parts.empty()) restore->operators.emplace(node->id, std::move(op));
  }
  return restore;
}

void Job::TakeSavepoint(std::function<void(const Status&, const std::string&)> done) {
  if (!coordinator_) {
    if (done) done(Status::InvalidArgument("savepoints need checkpoints on"), "");
    return;
  }
  coordinator_->RequestSavepoint(/*stop=*/false, std::move(done));
}

void Job::StopWithSavepoint(std::function<void(const Status&, const std::string&)> done) {
  if (!coordinator_) {
    if (done) done(Status::InvalidArgument("savepoints need checkpoints on"), "");
    return;
  }
  coordinator_->RequestSavepoint(
      /*stop=*/true, [this, done = std::move(done)](const Status& status, const std::string& dir) {
        if (done) done(status, dir);
        if (status.ok()) group_.Cancel(/*drain=*/false);
      });
}

}  // namespace sluice
