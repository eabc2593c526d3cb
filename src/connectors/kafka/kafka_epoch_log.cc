#include "connectors/kafka/kafka_epoch_log.h"
#include "common/file_sync.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace sluice {

namespace {

constexpr std::string_view kMagic = "SLKLOG01";
constexpr uint32_t kTrailerTag = 0xffffffffu;
// Blocks are written when they reach this size; one CRC covers one block.
constexpr size_t kBlockBytes = 256 * 1024;
// A block header claiming more than this is corrupt (no record is written alone above it).
constexpr uint32_t kMaxBlockBytes = 1u << 30;
constexpr std::string_view kCommittableVersion = "kafka-epoch-log 1";

void PutU32(std::string* out, uint32_t v) {
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<char>(v >> (8 * i));
  out->append(b, 4);
}

void PutU64(std::string* out, uint64_t v) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>(v >> (8 * i));
  out->append(b, 8);
}

void PutBytes(std::string* out, std::optional<std::string_view> bytes) {
  PutU32(out, bytes ? static_cast<uint32_t>(bytes->size()) : 0xffffffffu);
  if (bytes) out->append(bytes->data(), bytes->size());
}

uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= static_cast<uint32_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

uint64_t GetU64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i)
    v |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

std::string Errno(const std::string& what, const std::string& path) {
  return what + " '" + path + "': " + std::strerror(errno);
}

// Reads exactly `size` bytes; false at a clean end of file before the first byte.
Result<bool> ReadExactly(int fd, char* out, size_t size, const std::string& path) {
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, out + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IoError(Errno("cannot read", path));
    if (n == 0) {
      if (done == 0) return false;
      return Status::IoError("epoch log '" + path + "' is truncated");
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

bool ParseInt(std::string_view text, int64_t* out) {
  if (text.empty() || text.size() > 18) return false;
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

uint32_t KafkaLogCrc32(std::string_view bytes, uint32_t crc) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  crc = ~crc;
  for (char ch : bytes) crc = table[(crc ^ static_cast<unsigned char>(ch)) & 0xff] ^ (crc >> 8);
  return ~crc;
}

// ---- writer ------------------------------------------------------------------------------------

KafkaEpochLogWriter::KafkaEpochLogWriter(std::string dir, std::string inprogress_name)
    : dir_(std::move(dir)), inprogress_name_(std::move(inprogress_name)) {}

KafkaEpochLogWriter::~KafkaEpochLogWriter() {
  // An unfinished epoch is never committed: recovery removes the file (it is not "<n>.log").
  if (fd_ >= 0) ::close(fd_);
}

Status KafkaEpochLogWriter::OpenFile() {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return Status::IoError("cannot create directory '" + dir_ + "': " + ec.message());
  const std::string path = dir_ + "/" + inprogress_name_;
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) return Status::IoError(Errno("cannot create epoch log", path));
  bytes_ = 0;
  return WriteAll(std::string(kMagic));
}

Status KafkaEpochLogWriter::WriteAll(const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return Status::IoError(Errno("cannot write epoch log", dir_ + "/" + inprogress_name_));
    done += static_cast<size_t>(n);
  }
  bytes_ += static_cast<int64_t>(bytes.size());
  return Status::OK();
}

Status KafkaEpochLogWriter::WriteBlock() {
  if (block_records_ == 0) return Status::OK();
  std::string header;
  PutU32(&header, static_cast<uint32_t>(block_.size()));
  PutU32(&header, block_records_);
  PutU32(&header, KafkaLogCrc32(block_));
  header += block_;
  block_.clear();
  block_records_ = 0;
  return WriteAll(header);
}

Status KafkaEpochLogWriter::Append(const KafkaLogRecord& record) {
  if (fd_ < 0) SLUICE_RETURN_IF_ERROR(OpenFile());
  const size_t size_at = block_.size();
  PutU32(&block_, 0);  // record size, patched below
  PutU32(&block_, static_cast<uint32_t>(record.partition));
  PutU64(&block_, static_cast<uint64_t>(record.timestamp_ms));
  PutBytes(&block_, record.key);
  PutBytes(&block_, record.value);
  PutU32(&block_, static_cast<uint32_t>(record.headers.size()));
  for (const auto& [name, value] : record.headers) {
    PutBytes(&block_, name);
    PutBytes(&block_, value);
  }
  const size_t size = block_.size() - size_at - 4;
  if (size >= kMaxBlockBytes) {
    block_.resize(size_at);
    return Status::SinkError("a message of " + std::to_string(size) +
                             " bytes is too large for the epoch log");
  }
  for (int i = 0; i < 4; ++i) block_[size_at + i] = static_cast<char>(size >> (8 * i));
  ++block_records_;
  ++records_;
  if (block_.size() >= kBlockBytes) return WriteBlock();
  return Status::OK();
}

Result<KafkaEpochLogStats> KafkaEpochLogWriter::Finish(const std::string& final_name) {
  if (fd_ < 0) return Status::Internal("epoch log: Finish() without a record");
  SLUICE_RETURN_IF_ERROR(WriteBlock());
  std::string trailer;
  PutU32(&trailer, kTrailerTag);
  std::string count;
  PutU64(&count, static_cast<uint64_t>(records_));
  trailer += count;
  PutU32(&trailer, KafkaLogCrc32(count));
  SLUICE_RETURN_IF_ERROR(WriteAll(trailer));
  const std::string from = dir_ + "/" + inprogress_name_;
  const std::string to = dir_ + "/" + final_name;
  if (::fsync(fd_) != 0) return Status::IoError(Errno("cannot sync epoch log", from));
  ::close(fd_);
  fd_ = -1;
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return Status::IoError(Errno("cannot rename epoch log", from) + " to '" + to + "'");
  }
  SLUICE_RETURN_IF_ERROR(SyncDirectory(dir_));
  KafkaEpochLogStats stats{records_, bytes_};
  records_ = 0;
  bytes_ = 0;
  return stats;
}

void KafkaEpochLogWriter::Abandon() {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
  ::unlink((dir_ + "/" + inprogress_name_).c_str());
  block_.clear();
  block_records_ = 0;
  records_ = 0;
  bytes_ = 0;
}

// ---- reader ------------------------------------------------------------------------------------

Result<std::unique_ptr<KafkaEpochLogReader>> KafkaEpochLogReader::Open(const std::string& path) {
  std::unique_ptr<KafkaEpochLogReader> reader(new KafkaEpochLogReader());
  reader->path_ = path;
  reader->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (reader->fd_ < 0) return Status::IoError(Errno("cannot open epoch log", path));
  struct stat st;
  if (::fstat(reader->fd_, &st) == 0) reader->file_bytes_ = st.st_size;
  char magic[8];
  SLUICE_ASSIGN_OR_RETURN(bool got, ReadExactly(reader->fd_, magic, sizeof(magic), path));
  if (!got || std::string_view(magic, 8) != kMagic) {
    return reader->Corrupt("it does not start with " + std::string(kMagic));
  }
  reader->offset_ = 8;
  return reader;
}

KafkaEpochLogReader::~KafkaEpochLogReader() {
  if (fd_ >= 0) ::close(fd_);
}

Status KafkaEpochLogReader::Corrupt(const std::string& why) const {
  return Status::IoError("epoch log '" + path_ + "' is damaged at byte " + std::to_string(offset_) +
                         ": " + why);
}

Result<bool> KafkaEpochLogReader::ReadBlock() {
  char header[16];  // a block header is 12 bytes, the trailer 16
  SLUICE_ASSIGN_OR_RETURN(bool got, ReadExactly(fd_, header, 4, path_));
  if (!got) return Corrupt("the trailer is missing (the file is truncated)");
  const uint32_t size = GetU32(header);
  if (size == kTrailerTag) {
    SLUICE_ASSIGN_OR_RETURN(got, ReadExactly(fd_, header + 4, 12, path_));
    if (!got) return Corrupt("the trailer is truncated");
    if (KafkaLogCrc32(std::string_view(header + 4, 8)) != GetU32(header + 12)) {
      return Corrupt("the trailer's checksum does not match");
    }
    if (static_cast<int64_t>(GetU64(header + 4)) != records_read_) {
      return Corrupt("the trailer counts " + std::to_string(GetU64(header + 4)) +
                     " records, the blocks hold " + std::to_string(records_read_));
    }
    char extra;
    SLUICE_ASSIGN_OR_RETURN(got, ReadExactly(fd_, &extra, 1, path_));
    if (got) return Corrupt("bytes follow the trailer");
    done_ = true;
    return false;
  }
  SLUICE_ASSIGN_OR_RETURN(got, ReadExactly(fd_, header + 4, 8, path_));
  if (!got) return Corrupt("a block header is truncated");
  if (size > kMaxBlockBytes || offset_ + 12 + static_cast<int64_t>(size) > file_bytes_) {
    return Corrupt("a block claims " + std::to_string(size) + " bytes");
  }
  block_.resize(size);
  SLUICE_ASSIGN_OR_RETURN(got, ReadExactly(fd_, block_.data(), size, path_));
  if (size > 0 && !got) return Corrupt("a block is truncated");
  if (KafkaLogCrc32(block_) != GetU32(header + 8))
    return Corrupt("a block's checksum does not match");
  offset_ += 12 + size;
  block_pos_ = 0;
  block_left_ = GetU32(header + 4);
  return true;
}

Result<bool> KafkaEpochLogReader::Next(KafkaLogRecord* record) {
  if (done_) return false;
  while (block_left_ == 0) {
    SLUICE_ASSIGN_OR_RETURN(bool more, ReadBlock());
    if (!more) return false;
  }
  // The CRC matched, so a bad length here means a writer bug; check anyway (never read past).
  const size_t end_of_block = block_.size();
  auto need = [&](size_t n) { return block_pos_ + n <= end_of_block; };
  auto take_bytes = [&](std::optional<std::string_view>* out) -> bool {
    if (!need(4)) return false;
    uint32_t n = GetU32(block_.data() + block_pos_);
    block_pos_ += 4;
    if (n == 0xffffffffu) {
      *out = std::nullopt;
      return true;
    }
    if (!need(n)) return false;
    *out = std::string_view(block_.data() + block_pos_, n);
    block_pos_ += n;
    return true;
  };
  if (!need(4 + 4 + 8)) return Corrupt("a record is cut short");
  const size_t record_end = block_pos_ + 4 + GetU32(block_.data() + block_pos_);
  block_pos_ += 4;
  record->partition = static_cast<int32_t>(GetU32(block_.data() + block_pos_));
  record->timestamp_ms = static_cast<int64_t>(GetU64(block_.data() + block_pos_ + 4));
  block_pos_ += 12;
  record->headers.clear();
  if (!take_bytes(&record->key) || !take_bytes(&record->value) || !need(4)) {
    return Corrupt("a record is cut short");
  }
  uint32_t headers = GetU32(block_.data() + block_pos_);
  block_pos_ += 4;
  for (uint32_t h = 0; h < headers; ++h) {
    std::optional<std::string_view> name, value;
    if (!take_bytes(&name) || !name || !take_bytes(&value)) {
      return Corrupt("a record's header is cut short");
    }
    record->headers.emplace_back(*name, value);
  }
  if (block_pos_ != record_end) return Corrupt("a record's size does not match its fields");
  --block_left_;
  ++records_read_;
  return true;
}

// ---- committables and directories --------------------------------------------------------------

std::string EncodeKafkaCommittable(const KafkaEpochCommittable& c) {
  return std::string(kCommittableVersion) + "\ntid=" + c.transactional_id + "\npath=" + c.path +
         "\nrecords=" + std::to_string(c.records) + "\nbytes=" + std::to_string(c.bytes) + "\n";
}

Result<KafkaEpochCommittable> DecodeKafkaCommittable(std::string_view data) {
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("kafka sink: cannot read a committable (" + why + "): '" +
                                   std::string(data.substr(0, 200)) + "'");
  };
  KafkaEpochCommittable out;
  bool has_tid = false, has_path = false, has_records = false, has_bytes = false;
  size_t pos = 0;
  bool first = true;
  while (pos < data.size()) {
    size_t end = data.find('\n', pos);
    if (end == std::string_view::npos) end = data.size();
    std::string_view line = data.substr(pos, end - pos);
    pos = end + 1;
    if (first) {
      if (line != kCommittableVersion) return bad("unknown version");
      first = false;
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) return bad("a line without '='");
    std::string_view key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "tid") {
      out.transactional_id = std::string(value);
      has_tid = true;
    } else if (key == "path") {
      out.path = std::string(value);
      has_path = true;
    } else if (key == "records") {
      if (!ParseInt(value, &out.records)) return bad("bad records");
      has_records = true;
    } else if (key == "bytes") {
      if (!ParseInt(value, &out.bytes)) return bad("bad bytes");
      has_bytes = true;
    }  // unknown keys: written by a newer version, not needed here
  }
  if (first || !has_tid || !has_path || !has_records || !has_bytes)
    return bad("a field is missing");
  if (out.path.empty() || out.path[0] == '/' || out.path.find("..") != std::string::npos) {
    return bad("the path must be relative to the sink's directory");
  }
  return out;
}

std::string KafkaSinkStateDir(const std::string& state_dir, const std::string& sink_uid) {
  return state_dir + "/sinks/" + sink_uid;
}

std::string KafkaEpochLogName(int64_t checkpoint) {
  return std::to_string(checkpoint) + ".log";
}

Result<KafkaWriterDirListing> ListKafkaWriterDir(const std::string& dir) {
  KafkaWriterDirListing out;
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    int64_t checkpoint = 0;
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".log") == 0 &&
        ParseInt(std::string_view(name).substr(0, name.size() - 4), &checkpoint)) {
      out.logs[checkpoint] = name;
    } else {
      out.others.push_back(name);
    }
  }
  if (ec) return Status::IoError("cannot list '" + dir + "': " + ec.message());
  return out;
}

Result<std::vector<int>> ListKafkaWriterDirs(const std::string& sink_dir) {
  std::vector<int> out;
  std::error_code ec;
  if (!std::filesystem::exists(sink_dir, ec)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(sink_dir, ec)) {
    int64_t writer = 0;
    if (entry.is_directory() && ParseInt(entry.path().filename().string(), &writer) &&
        writer <= INT32_MAX) {
      out.push_back(static_cast<int>(writer));
    }
  }
  if (ec) return Status::IoError("cannot list '" + sink_dir + "': " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace sluice
