// sluice run / explain: compile the pipeline, then run it (or print its plan).

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <iostream>
#include <mutex>
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
  auto job = Job::Create(compiled->plan, compiled->session, options);
  if (!job.ok()) return ReportError(job.status());
  if (!(*job)->restore_report().empty()) std::cerr << (*job)->restore_report();
  const bool checkpointing = (*job)->coordinator() != nullptr;

  std::signal(SIGINT, OnSignal);
  // With checkpoints, SIGTERM stops with a savepoint (sluice savepoint --stop); SIGUSR1 takes
  // one and goes on (sluice savepoint).
  std::signal(SIGTERM, checkpointing ? OnTerminate : OnSignal);
  if (checkpointing) std::signal(SIGUSR1, OnSavepoint);
  std::string savepoint_note;
  bool live = !flags.quiet && isatty(STDERR_FILENO);
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  std::thread watcher([&] {
    int handled = 0;
    int terminations = 0;
    int savepoints = 0;
    auto report = [&](const Status& status, const std::string& dir) {
      std::lock_guard<std::mutex> note_lock(mutex);
      savepoint_note += status.ok() ? "savepoint written: " + dir + "\n"
                                    : "savepoint failed: " + status.ToString() + "\n";
    };
    std::unique_lock<std::mutex> lock(mutex);
    while (!done) {
      done_cv.wait_for(lock, std::chrono::milliseconds(live ? 500 : 100));
      if (g_terminate.load() > terminations) {
        terminations = g_terminate.load();
        lock.unlock();
        if (terminations == 1) {
          std::cerr << "stopping with a savepoint (SIGTERM again to stop now)\n";
          (*job)->StopWithSavepoint(report);
        } else {
          (*job)->Cancel(/*drain=*/false);
        }
        lock.lock();
      }
      if (g_savepoint.load() > savepoints) {
        savepoints = g_savepoint.load();
        lock.unlock();
        (*job)->TakeSavepoint(report);
        lock.lock();
      }
      int signals = g_signals.load();
      if (signals > handled) {
        handled = signals;
        if (live) std::cerr << "\r\033[K";
        std::cerr << (signals == 1 ? "stopping: draining open windows and flushing sinks "
                                     "(Ctrl-C again to stop now)\n"
                                   : "stopping now\n");
        (*job)->Cancel(/*drain=*/signals == 1);
      }
      if (live && !done) std::cerr << "\r\033[K" << (*job)->StatusLine() << std::flush;
    }
  });
  Status status = (*job)->Run();
  {
    std::lock_guard<std::mutex> lock(mutex);
    done = true;
  }
  done_cv.notify_all();
  watcher.join();
  if (live) std::cerr << "\r\033[K";
  std::cerr << (*job)->Summary() << savepoint_note;
  // Stopped with a savepoint: the job was cancelled on purpose once the savepoint was committed.
  if (status.code() == ErrorCode::kCancelled && savepoint_note.rfind("savepoint written", 0) == 0) {
    return 0;
  }
  if (!status.ok()) return ReportError(status);
  return 0;
}

}  // namespace sluice::cli
