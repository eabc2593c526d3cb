#include "connectors/filesystem/file_sink.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

#include <unistd.h>

#include "connectors/filesystem/file_committer.h"

namespace sluice {

namespace {

namespace fs = std::filesystem;

constexpr size_t kWriteChunk = 1 << 20;  // encode this much before handing it to the file

std::string NewUuid() {
  std::random_device device;
  uint64_t hi = (static_cast<uint64_t>(device()) << 32) ^ device() ^
                static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  uint64_t lo = (static_cast<uint64_t>(device()) << 32) ^ device();
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xffff),
                static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

// Keeps a name component safe in file names: [A-Za-z0-9_-], anything else becomes '-'.
std::string FileNameSafe(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') c = '-';
  }
  return out;
}

class FileSinkWriter final : public SinkWriter {
 public:
  /// `id`: the sink's uuid, or "<uid8>-<run>" when `staged` (checkpoints: exactly-once).
  FileSinkWriter(const FileSinkConfig& config, std::string id, int instance, bool staged,
                 std::unique_ptr<RecordEncoder> encoder)
      : config_(config),
        prefix_("part-" + id + "-" + std::to_string(instance) + "-"),
        staged_(staged),
        encoder_(std::move(encoder)) {
    epoch_.dir = config_.directory;
  }

  ~FileSinkWriter() override {
    // Without a Close() the part stays in progress (invisible), as after a crash.
    if (file_) std::fclose(file_);
  }

  Status Open() override {
    std::error_code ec;
    fs::create_directories(config_.directory, ec);
    if (ec) {
      return Status::IoError("cannot create directory '" + config_.directory +
                             "': " + ec.message());
    }
    return Status::OK();
  }

  Status Write(const Batch& batch) override {
    for (RowKind kind : batch.row_kinds()) {
      if (kind != RowKind::kInsert) {
        return Status::Internal("filesystem sink received a " +
                                std::string(RowKindShortString(kind)) + " row");
      }
    }
    // Encode in slices sized to the bytes left in the part (from the average row so far), so
    // parts roll close to the configured size without a call per row.
    size_t begin = 0;
    while (begin < batch.num_rows()) {
      const int64_t average = rows_encoded_ ? bytes_encoded_ / rows_encoded_ : 128;
      const int64_t left = std::max<int64_t>(config_.file_size_bytes - PartBytes(), 1);
      const size_t slice =
          static_cast<size_t>(std::clamp<int64_t>(left / std::max<int64_t>(average, 1), 1, 1024));
      const size_t end = std::min(batch.num_rows(), begin + slice);
      const size_t before = buffer_.size();
      SLUICE_RETURN_IF_ERROR(encoder_->Encode(batch, begin, end, &buffer_));
      bytes_encoded_ += static_cast<int64_t>(buffer_.size() - before);
      rows_encoded_ += static_cast<int64_t>(end - begin);
      begin = end;
      if (buffer_.size() >= kWriteChunk || PartBytes() >= config_.file_size_bytes) {
        SLUICE_RETURN_IF_ERROR(WriteBuffer());
      }
      if (PartBytes() >= config_.file_size_bytes || RolloverDue()) {
        SLUICE_RETURN_IF_ERROR(FinishPart());
      }
    }
    return Status::OK();
  }

  Status Flush() override {
    if (!staged_) return FinishPart();
    // Rows become visible only at commits; here they just leave the process.
    SLUICE_RETURN_IF_ERROR(WriteBuffer());
    if (file_ && std::fflush(file_) != 0) {
      return Status::IoError("cannot write '" + in_progress_ + "': " + std::strerror(errno));
    }
    return Status::OK();
  }

  Status Close() override {
    if (!staged_) return FinishPart();
    // Rows after the last PreCommit belong to no checkpoint: the part stays hidden and the next
    // recovery deletes it.
    SLUICE_RETURN_IF_ERROR(WriteBuffer());
    if (!file_) return Status::OK();
    int rc = std::fclose(file_);
    file_ = nullptr;
    if (rc != 0) {
      return Status::IoError("cannot close '" + in_progress_ + "': " + std::strerror(errno));
    }
    return Status::OK();
  }

  Result<std::string> PreCommit(CheckpointId id) override {
    if (!staged_) return SinkWriter::PreCommit(id);
    SLUICE_RETURN_IF_ERROR(FinishPart());  // the part rolls at every barrier
    if (epoch_.parts.empty()) return std::string();
    // The parts' directory entries must survive a crash too.
    SLUICE_RETURN_IF_ERROR(SyncDirectory(config_.directory));
    std::string committable = EncodeStagedParts(epoch_);
    epoch_.parts.clear();
    return committable;
  }

 private:
  int64_t PartBytes() const { return part_bytes_ + static_cast<int64_t>(buffer_.size()); }

  bool RolloverDue() const {
    return file_ && std::chrono::steady_clock::now() - opened_at_ >=
                        std::chrono::microseconds(config_.rollover_interval_micros);
  }

  std::string PartName() const {
    return prefix_ + std::to_string(part_count_) + "." +
           std::string(config_.format->file_extension);
  }

  // The part while it is written (and, staged, until its commit): hidden from readers.
  std::string HiddenName() const {
    std::string name(1, '.');
    name += PartName();
    name += ".inprogress";
    return name;
  }

  Status WriteBuffer() {
    if (buffer_.empty()) return Status::OK();
    if (!file_) {
      in_progress_ = (fs::path(config_.directory) / HiddenName()).string();
      file_ = std::fopen(in_progress_.c_str(), "wb");
      if (!file_) {
        return Status::IoError("cannot create '" + in_progress_ + "': " + std::strerror(errno));
      }
      opened_at_ = std::chrono::steady_clock::now();
    }
    if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
      return Status::IoError("cannot write '" + in_progress_ + "': " + std::strerror(errno));
    }
    part_bytes_ += static_cast<int64_t>(buffer_.size());
    buffer_.clear();
    return Status::OK();
  }

  // Writes what is buffered and closes the part. Without checkpoints it is renamed to its
  // visible name now; staged, it is synced and left hidden for the epoch's committable.
  Status FinishPart() {
    SLUICE_RETURN_IF_ERROR(WriteBuffer());
    if (!file_) return Status::OK();
    int rc = std::fflush(file_);
    if (rc == 0 && staged_) rc = ::fsync(fileno(file_));
    rc |= std::fclose(file_);
    file_ = nullptr;
    if (rc != 0) {
      return Status::IoError("cannot close '" + in_progress_ + "': " + std::strerror(errno));
    }
    if (staged_) {
      epoch_.parts.push_back({HiddenName(), PartName(), part_bytes_});
    } else {
      std::string finished = (fs::path(config_.directory) / PartName()).string();
      std::error_code ec;
      fs::rename(in_progress_, finished, ec);
      if (ec) return Status::IoError("cannot rename '" + in_progress_ + "': " + ec.message());
    }
    ++part_count_;
    part_bytes_ = 0;
    return Status::OK();
  }

  const FileSinkConfig& config_;
  std::string prefix_;
  bool staged_;
  StagedParts epoch_;  // staged: parts closed since the last PreCommit
  std::unique_ptr<RecordEncoder> encoder_;
  std::string buffer_;
  std::FILE* file_ = nullptr;
  std::string in_progress_;
  std::chrono::steady_clock::time_point opened_at_;
  int64_t part_bytes_ = 0;
  int part_count_ = 0;
  int64_t bytes_encoded_ = 0;
  int64_t rows_encoded_ = 0;
};

}  // namespace

FileSink::FileSink(FileSinkConfig config) : config_(std::move(config)), uuid_(NewUuid()) {}

Result<std::unique_ptr<SinkWriter>> FileSink::CreateWriter(int instance, int parallelism) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<RecordEncoder> encoder,
                          config_.format->make_encoder(config_.schema, config_.options));
  auto writer = std::make_unique<FileSinkWriter>(config_, staged_id_.value_or(uuid_), instance,
                                                 staged_id_.has_value(), std::move(encoder));
  return std::unique_ptr<SinkWriter>(std::move(writer));
}

Status FileSink::EnableCheckpointing(const SinkCheckpointing& checkpointing) {
  uid8_ = FileNameSafe(std::string_view(checkpointing.sink_uid).substr(0, 8));
  const std::string run = FileNameSafe(checkpointing.run_id);
  if (uid8_.empty() || run.empty()) {
    return Status::Internal("file sink: checkpointing needs a sink uid and a run id");
  }
  staged_id_ = uid8_ + "-" + run;
  return Status::OK();
}

Result<std::unique_ptr<SinkCommitter>> FileSink::CreateCommitter() {
  if (!staged_id_) return std::unique_ptr<SinkCommitter>();
  return std::unique_ptr<SinkCommitter>(
      std::make_unique<FileCommitter>(config_.directory, ".part-" + uid8_ + "-"));
}

}  // namespace sluice
