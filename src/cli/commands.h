#pragma once
// The sluice subcommands. Each returns the process exit code: 0 success, 1 a failure of the
// outside world or of the job at run time, 2 a user error (bad SQL, options or arguments).

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace sluice::cli {

struct RunFlags {
  std::string file;
  int parallelism = 0;  // 0: SET 'parallelism.default' or the number of cores
  int batch_size = 0;
  bool quiet = false;  // no live status line
  // Checkpoints.
  std::string from_checkpoint;  // a chk-N directory to resume from
  std::string from_savepoint;   // the same, for a savepoint
  bool allow_non_restored_state = false;
};

int RunCommand(const RunFlags& flags);
/// 'pipeline.name' when the SQL does not set it: the file's name without ".sql".
std::string PipelineNameOf(const std::string& file);
int ValidateCommand(const std::string& file);
int ExplainCommand(const RunFlags& flags);
int QueryCommand(const std::string& database, const std::string& sql);

/// sluice produce: order events into a Kafka topic (produce_command.cc).
struct ProduceFlags {
  std::string topic;
  std::string bootstrap = "127.0.0.1:9092";
  std::string format = "json";  // a format that can write: json, avro-confluent, ...
  std::string registry = "http://127.0.0.1:8085/apis/ccompat/v7";  // for avro-confluent
  int64_t count = -1;                                              // -1: no limit
  std::string duration;                                            // "": no limit
  std::string rate = "unlimited";  // events per second, or 'unlimited'
  int partitions = 0;              // > 0: create the topic (if missing) with this many
  int replication_factor = -1;     // -1: the broker's default
  // The orders generator's options (connectors/orders/orders_options.h).
  uint64_t seed = 1;
  std::string start_time = "2026-01-01 00:00:00";
  std::string event_rate = "1000";  // orders.events-per-second-of-event-time
  std::string out_of_order = "0 s";
  std::string late_ratio = "0";
  std::string late_by = "2 min";
  int64_t customers = 1000;
  std::string statuses;                 // "" : the generator's default
  std::string raw_path;                 // JSON lines of every event sent
  std::vector<std::string> properties;  // librdkafka KEY=VALUE
  bool quiet = false;
  bool verbose = false;
};
int ProduceCommand(const ProduceFlags& flags);

/// sluice checkpoints list / sluice savepoint (checkpoints_command.cc). The pipeline's
/// checkpoint directory comes from the SQL file's SETs ('state.checkpoints.dir',
/// 'pipeline.name' defaulting to the file's name) unless --dir/--pipeline are given.
struct CheckpointsFlags {
  std::string file;
  std::string dir;
  std::string pipeline;
  bool stop = false;  // savepoint: stop the job after it
};
int CheckpointsListCommand(const CheckpointsFlags& flags);
int SavepointCommand(const CheckpointsFlags& flags);

/// Prints "error: ..." to stderr and maps the status to an exit code.
int ReportError(const Status& status);
/// Reads a whole file; a user error naming the path when it cannot.
Result<std::string> ReadFile(const std::string& path);

}  // namespace sluice::cli
