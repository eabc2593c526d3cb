#pragma once
// The sluice subcommands. Each returns the process exit code: 0 success, 1 a failure of the
// outside world or of the job at run time, 2 a user error (bad SQL, options or arguments).

#include <string>

#include "common/status.h"

namespace sluice::cli {

struct RunFlags {
  std::string file;
  int parallelism = 0;  // 0: SET 'parallelism.default' or the number of cores
  int batch_size = 0;
  bool quiet = false;  // no live status line
};

int RunCommand(const RunFlags& flags);
int ValidateCommand(const std::string& file);
int ExplainCommand(const RunFlags& flags);
int QueryCommand(const std::string& database, const std::string& sql);

/// Prints "error: ..." to stderr and maps the status to an exit code.
int ReportError(const Status& status);
/// Reads a whole file; a user error naming the path when it cannot.
Result<std::string> ReadFile(const std::string& path);

}  // namespace sluice::cli
