#include "engine/job.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "exec/operators/group_aggregate_operator.h"
#include "exec/operators/operator_factory.h"
#include "exec/physical_planner/physical_planner.h"
#include "exec/plan/operator_signature.h"
#include "runtime/exchange_output.h"
#include "runtime/fan_out_output.h"
#include "runtime/operator_task.h"
#include "runtime/sink_output.h"
#include "runtime/source_task.h"

namespace sluice {

namespace {

constexpr const char* kFlushIntervalKey = "sluice.sink.flush-interval";
constexpr const char* kLateRowsPathKey = "sluice.late-rows.path";
constexpr const char* kMaxRowsPerSecondKey = "sluice.source.max-rows-per-second";

std::string TaskName(const Stage& stage, int instance) {
  return "stage " + std::to_string(stage.id) + " [" + std::to_string(instance + 1) + "/" +
         std::to_string(stage.parallelism) + "]";
}

}  // namespace

Job::~Job() = default;

Result<std::unique_ptr<Job>> Job::Create(PipelinePlan plan, SessionConfig session,
                                         JobOptions options) {
  std::unique_ptr<Job> job(new Job());
  for (const auto& [key, value] : plan.settings) {
    if (!session.Get(key)) session.Set(key, value);
  }
  if (options.parallelism > 0)
    session.Set("parallelism.default", std::to_string(options.parallelism));
  if (options.batch_size > 0) session.Set("sluice.batch-size", std::to_string(options.batch_size));
  SLUICE_RETURN_IF_ERROR(session.Validate());
  if (plan.sinks.empty()) return Status::InvalidArgument("the pipeline has no INSERT INTO");

  job->flush_interval_ = kDefaultSinkFlushInterval;
  if (auto value = session.Get(kFlushIntervalKey)) {
    auto micros = ParseDuration(*value);
    if (!micros.ok())
      return micros.status().WithContext(std::string("'") + kFlushIntervalKey + "'");
    if (*micros <= 0) {
      return Status::InvalidOption(std::string("'") + kFlushIntervalKey + "' must be positive");
    }
    job->flush_interval_ = std::chrono::microseconds(*micros);
  }
  job->plan_ = std::move(plan);
  job->session_ = std::move(session);
  job->options_ = std::move(options);
  SLUICE_RETURN_IF_ERROR(job->Build());
  return job;
}

Status Job::Build() {
  const int parallelism = session_.Parallelism();
  SLUICE_ASSIGN_OR_RETURN(checkpoints_, CheckpointSettings::FromSession(session_));
  SLUICE_ASSIGN_OR_RETURN(
      connectors_, PipelineConnectors::Create(plan_, session_, parallelism,
                                              options_.extra_connectors, checkpoints_.enabled));
  SLUICE_ASSIGN_OR_RETURN(physical_, PlanStages(plan_, connectors_.PlannerInputs(parallelism)));
  // Stable ids from the SQL (exec/plan/operator_signature.h): state is saved under them.
  for (OperatorSignatureWithUid& signed_node : SignOperators(StatefulNodesInSqlOrder(plan_))) {
    uids_[signed_node.node] = signed_node.uid;
    signatures_[signed_node.node] = std::move(signed_node);
  }
  SLUICE_RETURN_IF_ERROR(SetUpStateBackend());
  if (checkpoints_.enabled) {
    SLUICE_RETURN_IF_ERROR(SetUpCheckpoints());
  } else if (!options_.restore_from.empty()) {
    return Status::InvalidArgument(
        "restoring from " + options_.restore_from +
        " needs checkpoints on: SET 'execution.checkpointing.interval' (and "
        "'state.checkpoints.dir')");
  }

  std::optional<std::string> late_path = session_.Get(kLateRowsPathKey);
  SLUICE_ASSIGN_OR_RETURN(late_rows_,
                          LateRowRecorder::Create(late_path, &metrics_, session_.LocalTimeZone()));

  // Channels first: every task's output needs the channels of the stages it feeds.
  channels_.assign(physical_.stages.size(), {});
  producer_offset_.assign(physical_.edges.size(), 0);
  for (const Stage& stage : physical_.stages) {
    for (const PlanNode* node : stage.operators) metrics_.OperatorLateRows(node->id);
    if (stage.source) continue;
    int producers = 0;
    for (int e : stage.inputs) {
      const StageEdge& edge = physical_.edges[e];
      producer_offset_[e] = producers;
      producers +=
          edge.kind == EdgeKind::kForward ? 1 : physical_.stages[edge.from_stage].parallelism;
    }
    for (int i = 0; i < stage.parallelism; ++i) {
      channels_[stage.id].push_back(group_.AddChannel(kDefaultChannelCapacity, producers));
    }
  }

  for (const Stage& stage : physical_.stages) {
    if (stage.source) {
      ScanSource& scan = connectors_.sources.at(stage.source);
      const TableDef& table = *stage.source->table;
      std::atomic<uint64_t>* rows_read = metrics_.SourceRows(table.name);
      metrics_.AddSourceErrors(table.name, scan.errors);
      // The table's 'scan.watermark.idle-timeout' (Kafka) overrides the session's default.
      int64_t idle_timeout = session_.SourceIdleTimeoutMicros();
      if (auto it = table.options.find("scan.watermark.idle-timeout"); it != table.options.end()) {
        auto parsed = ParseDuration(it->second);
        if (!parsed.ok()) {
          return Status::InvalidOption(
              "table '" + table.name +
              "': 'scan.watermark.idle-timeout': " + parsed.status().message());
        }
        idle_timeout = *parsed;
      }
      double max_rows_per_second = 0;
      if (auto limit = session_.Get(kMaxRowsPerSecondKey)) {
        char* end = nullptr;
        max_rows_per_second = std::strtod(limit->c_str(), &end);
        if (end == limit->c_str() || *end != '\0' || max_rows_per_second < 0) {
          return Status::InvalidOption(std::string("'") + kMaxRowsPerSecondKey +
                                       "' must be a number of rows per second, got '" + *limit +
                                       "'");
        }
      }
      // Splits are dealt round-robin over the stage's instances.
      std::vector<std::vector<SourceSplitReader>> assigned(stage.parallelism);
      for (size_t k = 0; k < scan.splits.size(); ++k) {
        auto reader = scan.source->CreateReader(scan.splits[k]);
        if (!reader.ok()) {
          return reader.status().WithContext("table '" + stage.source->table->name + "' split '" +
                                             scan.splits[k].id + "'");
        }
        assigned[k % stage.parallelism].push_back({scan.splits[k], std::move(reader).value()});
      }
      for (int i = 0; i < stage.parallelism; ++i) {
        SLUICE_ASSIGN_OR_RETURN(auto chain, BuildChain(stage, i));
        SourceTaskOptions source_options;
        source_options.batch_size = static_cast<size_t>(session_.BatchSize());
        source_options.idle_timeout_micros = idle_timeout;
        source_options.eval_context.time_zone = session_.LocalTimeZone();
        source_options.rows_read = rows_read;
        source_options.max_rows_per_second = max_rows_per_second;
        source_options.checkpointing = {coordinator_.get(), static_cast<int>(group_.num_tasks())};
        source_options.restore = RestoreFor(stage, i);
        SLUICE_ASSIGN_OR_RETURN(
            auto task,
            SourceTask::Create(TaskName(stage, i), stage.source->table, std::move(assigned[i]),
                               std::move(chain), source_options));
        SourceTask* source_task = task.get();
        AddTask(std::move(task), stage, i, source_task);
      }
    } else {
      for (int i = 0; i < stage.parallelism; ++i) {
        SLUICE_ASSIGN_OR_RETURN(auto chain, BuildChain(stage, i));
        TaskCheckpointing checkpointing{coordinator_.get(), static_cast<int>(group_.num_tasks())};
        AddTask(
            std::make_unique<OperatorTask>(TaskName(stage, i), channels_[stage.id][i],
                                           std::move(chain), checkpointing, RestoreFor(stage, i)),
            stage, i, nullptr);
      }
    }
  }
  if (coordinator_) coordinator_->SetLayout(layout_);
  return Status::OK();
}

void Job::AddTask(std::unique_ptr<Task> task, const Stage& stage, int instance,
                  SourceTask* source_task) {
  if (coordinator_) {
    CheckpointJobLayout::Task entry;
    entry.name = task->Name();
    entry.key = StageKey(stage);
    entry.instance = instance;
    entry.parallelism = stage.parallelism;
    entry.source_task = source_task;
    if (stage.source) {
      const std::string& uid = uids_.at(stage.source);
      auto it = std::find_if(layout_.sources.begin(), layout_.sources.end(),
                             [&](const auto& s) { return s.uid == uid; });
      if (it == layout_.sources.end()) {
        layout_.sources.push_back(
            {uid, stage.source->table->name, connectors_.sources.at(stage.source).source.get()});
        it = layout_.sources.end() - 1;
      }
      entry.source = static_cast<int>(it - layout_.sources.begin());
    }
    if (stage.sink) {
      const std::string& uid = uids_.at(stage.sink);
      auto it = std::find_if(layout_.sinks.begin(), layout_.sinks.end(),
                             [&](const auto& s) { return s.uid == uid; });
      if (it == layout_.sinks.end()) {
        layout_.sinks.push_back({uid, stage.sink->table->name, committers_by_uid_[uid]});
        it = layout_.sinks.end() - 1;
      }
      entry.sink = static_cast<int>(it - layout_.sinks.begin());
    }
    for (const PlanNode* node : stage.operators) {
      auto uid = uids_.find(node);
      if (uid == uids_.end()) continue;
      auto signed_node = signatures_.find(node);
      layout_.operators[node->id] = {
          uid->second, ChainName(*node),
          signed_node != signatures_.end() ? CanonicalJson(signed_node->second.signature) : "",
          stage.parallelism};
    }
    layout_.tasks.push_back(std::move(entry));
  }
  group_.AddTask(std::move(task));
}

Result<std::unique_ptr<OperatorChain>> Job::BuildChain(const Stage& stage, int instance) {
  std::vector<ChainedOperator> operators;
  for (const PlanNode* node : stage.operators) {
    auto op = CreateOperator(*node);
    if (!op.ok()) return op.status().WithContext(node->Describe());
    operators.push_back({std::move(op).value(), node->id, SpillHook(*node, instance)});
  }
  SLUICE_ASSIGN_OR_RETURN(auto output, BuildOutput(stage, instance));
  ChainContext context;
  context.instance = instance;
  context.parallelism = stage.parallelism;
  context.session = &session_;
  context.late_rows = late_rows_.get();
  return std::make_unique<OperatorChain>(std::move(operators), std::move(output), context);
}

std::function<Status(Operator&)> Job::SpillHook(const PlanNode& node, int instance) {
  if (!rocksdb_env_ || node.kind != PlanKind::kGroupAggregate) return nullptr;
  auto uid = uids_.find(&node);
  const std::string id = uid != uids_.end() ? uid->second : node.id;
  GroupSpillOptions options;
  options.env = rocksdb_env_;
  options.local_dir = RocksDbInstanceDirectory(rocksdb_dir_, id, instance);
  options.max_resident_groups = resident_groups_;
  const std::string pipeline_dir = storage_ ? storage_->directory() : rocksdb_dir_;
  options.directories = [pipeline_dir, id, instance, run = run_id_](
                            CheckpointId checkpoint) -> std::pair<std::string, std::string> {
    const std::string part = "op-" + id + "/" + std::to_string(instance);
    // A task's final snapshot (id 0) stands for it in checkpoints not yet triggered: its small
    // files go where retention of checkpoint directories never looks, one folder per run.
    const std::string dir = checkpoint == 0
                                ? pipeline_dir + "/final/" + run
                                : pipeline_dir + "/" + CheckpointDirectoryName(checkpoint);
    return {dir + "/" + part + ".rocks", pipeline_dir + "/shared/" + part};
  };
  return [options](Operator& op) {
    return static_cast<GroupAggregateOperator&>(op).EnableSpill(options);
  };
}

Result<std::unique_ptr<TaskOutput>> Job::BuildOutput(const Stage& stage, int instance) {
  std::vector<std::unique_ptr<TaskOutput>> outputs;
  if (stage.sink) {
    SinkTarget& target = connectors_.sinks.at(stage.sink);
    const std::string& table = stage.sink->table->name;
    auto writer = target.sink->CreateWriter(instance, stage.parallelism);
    if (!writer.ok()) return writer.status().WithContext("sink '" + table + "'");
    auto output =
        std::make_unique<SinkOutput>(table, std::move(writer).value(), flush_interval_,
                                     metrics_.SinkRows(table), metrics_.AddSinkWatermark());
    if (coordinator_) {
      output->EnableCheckpointing(instance, restored_ ? restored_->manifest().id : 0);
    }
    outputs.push_back(std::move(output));
  }
  for (int e : stage.outputs) {
    const StageEdge& edge = physical_.edges[e];
    const std::vector<Channel*>& targets = channels_[edge.to_stage];
    const int producer = producer_offset_[e] + (edge.kind == EdgeKind::kForward ? 0 : instance);
    switch (edge.kind) {
      case EdgeKind::kForward:
        outputs.push_back(ExchangeOutput::Forward(targets[instance], producer));
        break;
      case EdgeKind::kGlobal:
        outputs.push_back(ExchangeOutput::Forward(targets[0], producer));
        break;
      case EdgeKind::kHash:
        outputs.push_back(
            ExchangeOutput::Hash(targets, std::vector<int>(targets.size(), producer), edge.keys));
        break;
      case EdgeKind::kRebalance:
        outputs.push_back(
            ExchangeOutput::Rebalance(targets, std::vector<int>(targets.size(), producer)));
        break;
    }
  }
  if (outputs.empty()) {
    return Status::Internal("stage " + std::to_string(stage.id) + " has no output");
  }
  if (outputs.size() == 1) return std::move(outputs[0]);
  return std::unique_ptr<TaskOutput>(std::make_unique<FanOutOutput>(std::move(outputs)));
}

Status Job::Run() {
  if (ran_) return Status::Internal("a Job runs once");
  ran_ = true;
  metrics_.Start();
  if (coordinator_) coordinator_->Start();
  Status status = group_.Run();
  if (coordinator_) {
    // Bounded input ended: the output is final once the last checkpoint is committed.
    if (status.ok()) {
      status = coordinator_->CompleteFinal();
    } else {
      coordinator_->Stop();
    }
    std::lock_guard<std::mutex> lock(failure_mutex_);
    if (!checkpoint_failure_.ok()) status = checkpoint_failure_;
  }
  metrics_.Stop();
  Status closed = late_rows_->Close();
  if (status.ok()) status = closed;
  return status;
}

std::string Job::Summary() const {
  std::string summary = metrics_.Summary();
  if (coordinator_) {
    const CheckpointStats stats = coordinator_->stats();
    char line[256];
    std::snprintf(line, sizeof(line),
                  "checkpoints: %lld completed, %lld abandoned; last %lld: %.1f MB of state, "
                  "%.0f ms\n",
                  static_cast<long long>(stats.completed), static_cast<long long>(stats.abandoned),
                  static_cast<long long>(stats.last_id), stats.last_state_bytes / 1e6,
                  stats.last_duration_micros / 1e3);
    summary += line;
    const int64_t restored = restored_at_micros_.load();
    if (restore_started_micros_ > 0 && restored > 0) {
      std::snprintf(line, sizeof(line),
                    "restore: every task had its state back %.2f s after the checkpoint was "
                    "opened\n",
                    (restored - restore_started_micros_) / 1e6);
      summary += line;
    }
  }
  JobMetrics::Snapshot snapshot = metrics_.Read();
  if (snapshot.total_late > 0) {
    summary += late_rows_->path().empty()
                   ? std::string("late rows were counted, not kept: SET '") + kLateRowsPathKey +
                         "' = '<dir>' writes them to <dir>/late-rows.jsonl\n"
                   : "late rows written to " + late_rows_->path() + "\n";
  }
  return summary;
}

void Job::Cancel(bool drain) {
  group_.Cancel(drain);
}

}  // namespace sluice
