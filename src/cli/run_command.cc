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

void OnSignal(int) {
  g_signals.fetch_add(1);
}

Result<sql::CompiledScript> Compile(const RunFlags& flags) {
  SLUICE_ASSIGN_OR_RETURN(std::string sql, ReadFile(flags.file));
  SessionConfig session;
  if (flags.parallelism > 0) session.Set("parallelism.default", std::to_string(flags.parallelism));
  if (flags.batch_size > 0) session.Set("sluice.batch-size", std::to_string(flags.batch_size));
  auto compiled = sql::CompileScript(sql, session);
  if (!compiled.ok()) return compiled.status().WithContext(flags.file);
  // The command line wins over SET in the file.
  if (flags.parallelism > 0) {
    compiled->session.Set("parallelism.default", std::to_string(flags.parallelism));
  }
  if (flags.batch_size > 0)
    compiled->session.Set("sluice.batch-size", std::to_string(flags.batch_size));
  return compiled;
}

}  // namespace

int ExplainCommand(const RunFlags& flags) {
  auto compiled = Compile(flags);
  if (!compiled.ok()) return ReportError(compiled.status());
  std::cout << ExplainPipeline(compiled->plan, compiled->session);
  return 0;
}

int RunCommand(const RunFlags& flags) {
  auto compiled = Compile(flags);
  if (!compiled.ok()) return ReportError(compiled.status());
  auto job = Job::Create(compiled->plan, compiled->session, JobOptions{});
  if (!job.ok()) return ReportError(job.status());

  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  bool live = !flags.quiet && isatty(STDERR_FILENO);
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  std::thread watcher([&] {
    int handled = 0;
    std::unique_lock<std::mutex> lock(mutex);
    while (!done) {
      done_cv.wait_for(lock, std::chrono::milliseconds(live ? 500 : 100));
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
  std::cerr << (*job)->Summary();
  if (!status.ok()) return ReportError(status);
  return 0;
}

}  // namespace sluice::cli
