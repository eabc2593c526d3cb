#pragma once
// FileSink: the filesystem connector's sink. 'path' is a directory; each writer (one per
// parallel instance) writes its own part files named as Flink does:
//   in progress:  .part-<uuid>-<instance>-<n>.<ext>.inprogress   (hidden from readers)
//   finished:     part-<uuid>-<instance>-<n>.<ext>
// <uuid> is per sink (one job), <n> counts the writer's parts. A part is finished (renamed) when
// it reaches 'sink.rolling-policy.file-size', when it has been open longer than
// 'sink.rolling-policy.rollover-interval' (checked on write), and at every Flush()/Close() — so
// rows become visible at flushes, as at Flink's checkpoints. Only insert-only streams can be
// written (the connector rejects updating results when the sink is created).
//
// With checkpoints (EnableCheckpointing) the sink is exactly-once (docs/design/checkpoints.md
// §3.4): parts are named
//   staged:       .part-<sink uid8>-<run>-<instance>-<n>.<ext>.inprogress
//   committed:    part-<sink uid8>-<run>-<instance>-<n>.<ext>
// and a part is only closed (fsync'ed, still hidden) when it rolls and at every PreCommit();
// Flush() and Close() rename nothing. The parts of an epoch become the writer's committable and
// the committer (file_committer.h) renames them once the checkpoint is complete. <run> differs
// per process run, so a restarted job never reuses a name.

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "exec/plan/table_def.h"
#include "formats/format.h"
#include "runtime/sink.h"

namespace sluice {

struct FileSinkConfig {
  std::string directory;
  const FormatSpec* format = nullptr;
  Schema schema;
  Options options;                                             // for the format
  int64_t file_size_bytes = 128LL << 20;                       // sink.rolling-policy.file-size
  int64_t rollover_interval_micros = 30LL * 60 * 1000 * 1000;  // ...rollover-interval
};

class FileSink final : public Sink {
 public:
  explicit FileSink(FileSinkConfig config);

  Result<std::unique_ptr<SinkWriter>> CreateWriter(int instance, int parallelism) override;
  Status EnableCheckpointing(const SinkCheckpointing& checkpointing) override;
  Result<std::unique_ptr<SinkCommitter>> CreateCommitter() override;
  const std::string& uuid() const { return uuid_; }

 private:
  FileSinkConfig config_;
  std::string uuid_;
  /// With checkpoints: "<sink uid8>-<run>", in place of the uuid; the committer deletes
  /// ".part-<sink uid8>-*" files nothing references.
  std::optional<std::string> staged_id_;
  std::string uid8_;
};

}  // namespace sluice
