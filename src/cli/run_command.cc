// sluice run / explain: compile the pipeline, then run it (or print its plan).

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "cli/commands.h"
#include "engine/job.h"
#include "exec/physical_planner/explain.h"
#include "sql/planner/script_compiler.h"

namespace sluice::cli {

namespace {

// Signals only set a flag; a watcher thread turns the first one into a draining stop (windows
// fire, sinks flush) and the second into an immediate one.
std::atomic<int> g_signals{0};
std::atomic<int> g_terminate{0};
std::atomic<int> g_savepoint{0};

void OnSignal(int) {
  g_signals.fetch_add(1);
}
void OnTerminate(int) {
  g_terminate.fetch_add(1);
}
void OnSavepoint(int) {
  g_savepoint.fetch_add(1);
}

Result<sql::CompiledScript> Compile(const RunFlags& flags) {
  SLUICE_ASSIGN_OR_RETURN(std::string sql, ReadFile(flags.file));
  SessionConfig session;
  if (flags.parallelism > 0) session.Set("parallelism.default", std::to_string(flags.parallelism));
  if (flags.batch_size > 0) session.Set("sluice.batch-size", std::to_string(flags.batch_size));
  auto compiled = sql::CompileScript(sql, session);
  if (!compiled.ok()) return compiled.status().WithContext(flags.file);
  // A pipeline's checkpoints live under its name: the file's name unless SET otherwise.
  if (!compiled->session.Get("pipeline.name") && !compiled->plan.settings.count("pipeline.name")) {
    compiled->session.Set("pipeline.name", PipelineNameOf(flags.file));
  }
  // The command line wins over SET in the file.
  if (flags.parallelism > 0) {
    compiled->session.Set("parallelism.default", std::to_string(flags.parallelism));
  }
  if (flags.batch_size > 0)
    compiled->session.Set("sluice.batch-size", std::to_string(flags.batch_size));
  return compiled;
}

}  // namespace

std::string PipelineNameOf(const std::string& file) {
  std::string name = file.substr(file.find_last_of('/') + 1);
  if (auto dot = name.rfind(".sql"); dot != std::string::npos && dot + 4 == name.size()) {
    name.resize(dot);
  }
  return name.empty() ? "pipeline" : name;
}

int ExplainCommand(const RunFlags& flags) {
  auto compiled = Compile(flags);
  if (!compiled.ok()) return ReportError(compiled.status());
  std::cout << ExplainPipeline(compiled->plan, compiled->session);
  return 0;
}

namespace {

/// 'restart-strategy.*' (Flink's names): with checkpoints, a failed job is created again and
/// resumes from its latest checkpoint — the same path as `sluice run` after a kill -9.
struct RestartPolicy {
  int attempts = 0;  // restarts allowed; 0: none
  std::chrono::milliseconds delay{2000};
};

Result<RestartPolicy> ReadRestartPolicy(const SessionConfig& session, const PipelinePlan& plan) {
  auto setting = [&](const std::string& key) -> std::optional<std::string> {
    if (auto v = session.Get(key)) return v;
    auto it = plan.settings.find(key);
    if (it == plan.settings.end()) return std::nullopt;
    return it->second;
  };
  RestartPolicy policy;
  const std::string type = setting("restart-strategy.type").value_or("fixed-delay");
  if (type == "none" || type == "disable") return policy;
  if (type != "fixed-delay") {
    return Status::InvalidOption("'restart-strategy.type' must be 'fixed-delay' or 'none', got '" +
                                 type + "'");
  }
  policy.attempts = 3;
  if (auto attempts = setting("restart-strategy.fixed-delay.attempts")) {
    char* end = nullptr;
    long n = std::strtol(attempts->c_str(), &end, 10);
    if (end == attempts->c_str() || *end != '\0' || n < 0 || n > 1'000'000) {
      return Status::InvalidOption(
          "'restart-strategy.fixed-delay.attempts' must be a whole number, got '" + *attempts +
          "'");
    }
    policy.attempts = static_cast<int>(n);
  }
  if (auto delay = setting("restart-strategy.fixed-delay.delay")) {
    auto micros = ParseDuration(*delay);
    if (!micros.ok()) return micros.status().WithContext("'restart-strategy.fixed-delay.delay'");
    policy.delay = std::chrono::milliseconds(*micros / 1000);
  }
  return policy;
}

struct RunOutcome {
  Status status;
  std::string savepoint_note;
  bool user_stopped = false;  // a signal asked the job to stop
};

/// Runs `job` to its end, turning signals into drains, stops and savepoints, with the live
/// status line on a terminal.
RunOutcome Supervise(Job& job, const RunFlags& flags) {
  RunOutcome outcome;
  const bool live = !flags.quiet && isatty(STDERR_FILENO);
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  std::thread watcher([&] {
    int handled = g_signals.load();
    int terminations = g_terminate.load();
    int savepoints = g_savepoint.load();
    auto report = [&](const Status& status, const std::string& dir) {
      std::lock_guard<std::mutex> note_lock(mutex);
      outcome.savepoint_note += status.ok() ? "savepoint written: " + dir + "\n"
                                            : "savepoint failed: " + status.ToString() + "\n";
    };
    std::unique_lock<std::mutex> lock(mutex);
    while (!done) {
      done_cv.wait_for(lock, std::chrono::milliseconds(live ? 500 : 100));
      if (g_terminate.load() > terminations) {
        const bool first = terminations == 0 || !outcome.user_stopped;
        terminations = g_terminate.load();
        outcome.user_stopped = true;
        lock.unlock();
        if (first) {
          std::cerr << "stopping with a savepoint (SIGTERM again to stop now)\n";
          job.StopWithSavepoint(report);
        } else {
          job.Cancel(/*drain=*/false);
        }
        lock.lock();
      }
      if (g_savepoint.load() > savepoints) {
        savepoints = g_savepoint.load();
        lock.unlock();
        job.TakeSavepoint(report);
        lock.lock();
      }
      int signals = g_signals.load();
      if (signals > handled) {
        const bool first = !outcome.user_stopped;
        handled = signals;
        outcome.user_stopped = true;
        if (live) std::cerr << "\r\033[K";
        std::cerr << (first ? "stopping: draining open windows and flushing sinks "
                              "(Ctrl-C again to stop now)\n"
                            : "stopping now\n");
        job.Cancel(/*drain=*/first);
      }
      if (live && !done) std::cerr << "\r\033[K" << job.StatusLine() << std::flush;
    }
  });
  Status status = job.Run();
  {
    std::lock_guard<std::mutex> lock(mutex);
    done = true;
  }
  done_cv.notify_all();
  watcher.join();
  if (live) std::cerr << "\r\033[K";
  outcome.status = std::move(status);
  return outcome;
}

}  // namespace

int RunCommand(const RunFlags& flags) {
  auto compiled = Compile(flags);
  if (!compiled.ok()) return ReportError(compiled.status());
  JobOptions options;
  if (!flags.from_checkpoint.empty() && !flags.from_savepoint.empty()) {
    return ReportError(
        Status::InvalidArgument("--from-checkpoint and --from-savepoint exclude each other"));
  }
  options.restore_from =
      !flags.from_savepoint.empty() ? flags.from_savepoint : flags.from_checkpoint;
  options.allow_non_restored_state = flags.allow_non_restored_state;
  auto policy = ReadRestartPolicy(compiled->session, compiled->plan);
  if (!policy.ok()) return ReportError(policy.status());

  std::signal(SIGINT, OnSignal);
  for (int attempt = 0;; ++attempt) {
    auto job = Job::Create(compiled->plan, compiled->session, options);
    if (!job.ok()) {
      // A restart may find the outside world still down (the broker restarting): try again.
      const bool retry = attempt > 0 && attempt < policy->attempts &&
                         job.status().domain() != ErrorDomain::kUser && g_signals.load() == 0 &&
                         g_terminate.load() == 0;
      if (!retry) return ReportError(job.status());
      std::cerr << "restart failed: " << job.status().ToString() << "\nretrying in "
                << policy->delay.count() << " ms\n";
      std::this_thread::sleep_for(policy->delay);
      continue;
    }
    if (!(*job)->restore_report().empty()) std::cerr << (*job)->restore_report();
    const bool checkpointing = (*job)->coordinator() != nullptr;
    // With checkpoints, SIGTERM stops with a savepoint (sluice savepoint --stop); SIGUSR1 takes
    // one and goes on (sluice savepoint).
    std::signal(SIGTERM, checkpointing ? OnTerminate : OnSignal);
    if (checkpointing) std::signal(SIGUSR1, OnSavepoint);

    RunOutcome outcome = Supervise(**job, flags);
    std::cerr << (*job)->Summary() << outcome.savepoint_note;
    const Status& status = outcome.status;
    // Stopped with a savepoint: cancelled on purpose once the savepoint was committed.
    if (status.code() == ErrorCode::kCancelled &&
        outcome.savepoint_note.rfind("savepoint written", 0) == 0) {
      return 0;
    }
    if (status.ok()) return 0;
    const bool restartable = checkpointing && !outcome.user_stopped &&
                             status.domain() != ErrorDomain::kUser && attempt < policy->attempts;
    if (!restartable) return ReportError(status);
    std::cerr << "job failed: " << status.ToString()
              << "\nrestarting from the latest checkpoint in " << policy->delay.count()
              << " ms (restart " << attempt + 1 << " of " << policy->attempts
              << ", 'restart-strategy.fixed-delay.attempts')\n";
    job->reset();  // releases the pipeline's LOCK before the next run takes it
    std::this_thread::sleep_for(policy->delay);
    if (g_signals.load() > 0 || g_terminate.load() > 0) return ReportError(status);
    options.restore_from.clear();  // from now on: the latest checkpoint
  }
}

}  // namespace sluice::cli
