// sluice checkpoints list / sluice savepoint: a pipeline's checkpoint directory from the outside.

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "checkpoint/checkpoint_data.h"
#include "checkpoint/checkpoint_storage.h"
#include "cli/commands.h"
#include "sql/planner/script_compiler.h"

namespace sluice::cli {

namespace {

/// <state.checkpoints.dir>/<pipeline.name>, from the flags or the SQL file's SETs.
Result<std::string> PipelineDirectory(const CheckpointsFlags& flags) {
  std::string dir = flags.dir;
  std::string pipeline = flags.pipeline;
  if (!flags.file.empty() && (dir.empty() || pipeline.empty())) {
    SLUICE_ASSIGN_OR_RETURN(std::string sql, ReadFile(flags.file));
    auto compiled = sql::CompileScript(sql, SessionConfig());
    if (!compiled.ok()) return compiled.status().WithContext(flags.file);
    auto setting = [&](const std::string& key) -> std::string {
      if (auto v = compiled->session.Get(key)) return *v;
      auto it = compiled->plan.settings.find(key);
      return it == compiled->plan.settings.end() ? "" : it->second;
    };
    if (dir.empty()) dir = setting("state.checkpoints.dir");
    if (pipeline.empty()) pipeline = setting("pipeline.name");
    if (pipeline.empty()) pipeline = PipelineNameOf(flags.file);
  }
  if (dir.empty() || pipeline.empty()) {
    return Status::InvalidArgument(
        "which pipeline? give its SQL file, or --dir ('state.checkpoints.dir') and --pipeline");
  }
  return dir + "/" + pipeline;
}

std::string UtcTime(int64_t micros) {
  std::time_t seconds = static_cast<std::time_t>(micros / 1'000'000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S", &tm);
  return text;
}

}  // namespace

int CheckpointsListCommand(const CheckpointsFlags& flags) {
  auto dir = PipelineDirectory(flags);
  if (!dir.ok()) return ReportError(dir.status());
  std::vector<Manifest> manifests;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(*dir, ec)) {
    auto manifest = ReadManifest(entry.path().string());
    if (manifest.ok()) manifests.push_back(std::move(manifest).value());
  }
  if (ec) return ReportError(Status::NotFound("no checkpoints in " + *dir + ": " + ec.message()));
  std::sort(manifests.begin(), manifests.end(),
            [](const Manifest& a, const Manifest& b) { return a.id < b.id; });
  std::cout << "checkpoints of " << *dir << "\n";
  if (manifests.empty()) std::cout << "  (none)\n";
  for (const Manifest& m : manifests) {
    auto loaded = LoadedCheckpoint::Load(m);
    std::cout << "  " << CheckpointDirectoryName(m.id) << "  "
              << (m.kind == SnapshotKind::kSavepoint ? "savepoint " : "checkpoint") << "  "
              << UtcTime(m.created_micros) << " UTC";
    if (!loaded.ok()) {
      std::cout << "  DAMAGED: " << loaded.status().ToString() << "\n";
      continue;
    }
    std::cout << "  " << (*loaded)->state_bytes() << " bytes of state, "
              << (*loaded)->operators().size() << " operator instances\n";
    for (const SavedSource& source : (*loaded)->sources()) {
      std::cout << "    source " << source.table << ":";
      for (const StreamPosition& p : source.positions) {
        std::cout << " " << p.stream << "=" << p.state;
      }
      std::cout << "\n";
    }
    for (const SavedSink& sink : (*loaded)->sinks()) {
      if (sink.committables.empty()) continue;
      std::cout << "    sink " << sink.table << ": " << sink.committables.size()
                << " epochs to commit\n";
    }
  }
  return 0;
}

int SavepointCommand(const CheckpointsFlags& flags) {
  auto dir = PipelineDirectory(flags);
  if (!dir.ok()) return ReportError(dir.status());
  const std::string lock_path = *dir + "/LOCK";
  // The pid in LOCK is only meaningful while its process holds the flock.
  int fd = ::open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
  const bool held = fd >= 0 && ::flock(fd, LOCK_SH | LOCK_NB) != 0;
  if (fd >= 0) ::close(fd);
  std::ifstream lock(lock_path);
  long pid = 0;
  if (!held || !(lock >> pid) || pid <= 0) {
    return ReportError(Status::NotFound("no running pipeline holds " + lock_path));
  }
  // SIGUSR1: savepoint and go on; SIGTERM: stop with a savepoint (see run_command.cc).
  if (::kill(static_cast<pid_t>(pid), flags.stop ? SIGTERM : SIGUSR1) != 0) {
    return ReportError(
        Status::NotFound("pipeline process " + std::to_string(pid) + " is not running"));
  }
  std::cout << "asked process " << pid << " for a savepoint" << (flags.stop ? " and to stop" : "")
            << "; it reports the directory on exit\n";
  return 0;
}

}  // namespace sluice::cli
