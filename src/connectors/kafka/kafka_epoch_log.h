#pragma once
// Epoch logs of the exactly-once Kafka sink (docs/design/checkpoints.md §3.3): what one writer
// produced between two barriers, kept on local disk until the committer has produced it to Kafka
// in one transaction together with the writer's marker.
//
// Layout: <state_dir>/sinks/<sink uid>/<writer>/<checkpoint>.log; the epoch being written is
// "<run id>.inprogress" in the same directory and is renamed once synced (a "<n>.log" file is
// always complete). File format (integers little-endian):
//   "SLKLOG01"
//   block*:   u32 payload size, u32 records, u32 crc32(payload), payload
//   payload:  record*, each u32 size + i32 partition, i64 timestamp ms, i32 key size (-1: null),
//             key, i32 value size (-1: null), value, u32 headers, {u32 name size, name,
//             i32 value size (-1: null), value}*
//   trailer:  u32 0xffffffff, u64 records in the file, u32 crc32(those 8 bytes)
// A torn or bit-flipped file is refused naming it; nothing after the trailer is allowed.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace sluice {

/// One message as the writer decided it. Views stay valid until the next Append / Next call.
struct KafkaLogRecord {
  int32_t partition = -1;  // -1: the producer's partitioner picks one (keyless 'default')
  int64_t timestamp_ms = 0;
  std::optional<std::string_view> key;
  std::optional<std::string_view> value;  // nullopt: a tombstone
  std::vector<std::pair<std::string_view, std::optional<std::string_view>>> headers;
};

struct KafkaEpochLogStats {
  int64_t records = 0;
  int64_t bytes = 0;
};

/// Appends one epoch's records (task thread); the file is created at the first record.
class KafkaEpochLogWriter {
 public:
  /// `dir` is created when needed; `inprogress_name` names the open file inside it.
  KafkaEpochLogWriter(std::string dir, std::string inprogress_name);
  ~KafkaEpochLogWriter();
  KafkaEpochLogWriter(const KafkaEpochLogWriter&) = delete;
  KafkaEpochLogWriter& operator=(const KafkaEpochLogWriter&) = delete;

  Status Append(const KafkaLogRecord& record);
  int64_t records() const { return records_; }
  /// Writes the trailer, fsyncs, renames the file to `final_name` (in the same directory) and
  /// fsyncs the directory. Afterwards the writer is empty again. Not for an empty epoch.
  Result<KafkaEpochLogStats> Finish(const std::string& final_name);
  /// Closes and removes the open file (a writer that failed or is cancelled).
  void Abandon();

 private:
  Status OpenFile();
  Status WriteBlock();
  Status WriteAll(const std::string& bytes);

  const std::string dir_;
  const std::string inprogress_name_;
  int fd_ = -1;
  std::string block_;
  uint32_t block_records_ = 0;
  int64_t records_ = 0;
  int64_t bytes_ = 0;
};

/// Reads a finished log, checking every block's CRC and the trailer.
class KafkaEpochLogReader {
 public:
  static Result<std::unique_ptr<KafkaEpochLogReader>> Open(const std::string& path);
  ~KafkaEpochLogReader();

  /// The next record, or false after the last one (the trailer was found and checked).
  Result<bool> Next(KafkaLogRecord* record);
  int64_t records_read() const { return records_read_; }
  int64_t file_bytes() const { return file_bytes_; }

 private:
  KafkaEpochLogReader() = default;
  Status Corrupt(const std::string& why) const;
  Result<bool> ReadBlock();

  std::string path_;
  int fd_ = -1;
  int64_t file_bytes_ = 0;
  int64_t offset_ = 0;
  std::string block_;
  size_t block_pos_ = 0;
  uint32_t block_left_ = 0;
  int64_t records_read_ = 0;
  bool done_ = false;
};

/// The committable of one epoch: what the committer needs to produce it.
struct KafkaEpochCommittable {
  std::string transactional_id;
  std::string path;  // relative to the sink's directory: "<writer>/<checkpoint>.log"
  int64_t records = 0;
  int64_t bytes = 0;
};

/// Text, one "key=value" per line after a version line (readable in MANIFEST.json dumps).
std::string EncodeKafkaCommittable(const KafkaEpochCommittable& committable);
Result<KafkaEpochCommittable> DecodeKafkaCommittable(std::string_view data);

/// <state_dir>/sinks/<sink_uid>
std::string KafkaSinkStateDir(const std::string& state_dir, const std::string& sink_uid);
/// "<checkpoint>.log"
std::string KafkaEpochLogName(int64_t checkpoint);

/// The finished logs of one writer directory by checkpoint, and every other file in it (left
/// by a run that died mid-epoch). A missing directory has neither.
struct KafkaWriterDirListing {
  std::map<int64_t, std::string> logs;  // checkpoint -> file name
  std::vector<std::string> others;
};
Result<KafkaWriterDirListing> ListKafkaWriterDir(const std::string& dir);
/// The writer indexes that have a directory under the sink's directory.
Result<std::vector<int>> ListKafkaWriterDirs(const std::string& sink_dir);

/// CRC-32 (IEEE, as zlib's crc32).
uint32_t KafkaLogCrc32(std::string_view bytes, uint32_t crc = 0);

}  // namespace sluice
