#include "checkpoint/state_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace sluice {

namespace {

constexpr std::string_view kMagic = "SLUICEST";
constexpr std::string_view kFooterMagic = "SLSTEND!";
constexpr uint32_t kVersion = 1;

template <typename T>
void PutLittleEndian(T value, std::string* out) {
  for (size_t i = 0; i < sizeof(T); ++i) out->push_back(static_cast<char>(value >> (8 * i)));
}

// Reads a little-endian T at *pos if it fits before `end`; advances *pos.
template <typename T>
bool GetLittleEndian(std::string_view data, size_t* pos, T* value) {
  if (data.size() - *pos < sizeof(T)) return false;
  T v = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    v |= static_cast<T>(static_cast<uint8_t>(data[*pos + i])) << (8 * i);
  }
  *pos += sizeof(T);
  *value = v;
  return true;
}

uLong CrcUpdate(uLong crc, std::string_view bytes) {
  // zlib takes a 32-bit length: feed large pieces in parts.
  for (size_t done = 0; done < bytes.size();) {
    size_t n = std::min<size_t>(bytes.size() - done, 1u << 30);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + done), static_cast<uInt>(n));
    done += n;
  }
  return crc;
}

uint32_t Crc(std::string_view name, std::string_view data) {
  return static_cast<uint32_t>(CrcUpdate(CrcUpdate(crc32(0L, Z_NULL, 0), name), data));
}

}  // namespace

Result<std::unique_ptr<StateFileWriter>> StateFileWriter::Create(std::string path) {
  std::unique_ptr<StateFileWriter> writer(new StateFileWriter());
  writer->path_ = std::move(path);
  std::string temp = writer->path_ + ".tmp";
  writer->fd_ = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (writer->fd_ < 0) {
    return Status::IoError("cannot create " + temp + ": " + std::strerror(errno));
  }
  std::string header(kMagic);
  PutLittleEndian(kVersion, &header);
  SLUICE_RETURN_IF_ERROR(writer->Write(header));
  return writer;
}

StateFileWriter::~StateFileWriter() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink((path_ + ".tmp").c_str());  // not finished: leave nothing that looks like state
  }
}

Status StateFileWriter::Write(std::string_view bytes) {
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd_, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status::IoError("cannot write " + path_ + ".tmp: " + std::strerror(errno));
    written += static_cast<size_t>(n);
  }
  return Status::OK();
}

Status StateFileWriter::AddSection(std::string_view name, std::string_view data) {
  return AddSection(name, std::vector<std::string_view>{data});
}

Status StateFileWriter::AddSection(std::string_view name,
                                   const std::vector<std::string_view>& parts) {
  if (fd_ < 0) return Status::Internal("state file " + path_ + " is already finished");
  for (const auto& existing : names_) {
    if (existing == name) {
      return Status::Internal("state file " + path_ + ": section '" + std::string(name) +
                              "' written twice");
    }
  }
  names_.emplace_back(name);
  uint64_t size = 0;
  for (std::string_view part : parts) size += part.size();
  std::string head;
  PutLittleEndian(static_cast<uint32_t>(name.size()), &head);
  head += name;
  PutLittleEndian(size, &head);
  SLUICE_RETURN_IF_ERROR(Write(head));
  uLong sum = CrcUpdate(crc32(0L, Z_NULL, 0), name);
  for (std::string_view part : parts) {
    SLUICE_RETURN_IF_ERROR(Write(part));
    sum = CrcUpdate(sum, part);
  }
  std::string crc;
  PutLittleEndian(static_cast<uint32_t>(sum), &crc);
  ++sections_;
  return Write(crc);
}

Status StateFileWriter::Finish() {
  if (fd_ < 0) return Status::Internal("state file " + path_ + " is already finished");
  std::string footer;
  PutLittleEndian(sections_, &footer);
  footer += kFooterMagic;
  SLUICE_RETURN_IF_ERROR(Write(footer));
  if (::fsync(fd_) != 0) return Status::IoError("cannot sync " + path_ + ".tmp");
  ::close(fd_);
  fd_ = -1;
  std::string temp = path_ + ".tmp";
  if (::rename(temp.c_str(), path_.c_str()) != 0) {
    return Status::IoError("cannot rename " + temp + ": " + std::strerror(errno));
  }
  return Status::OK();
}

Result<std::unique_ptr<StateFileReader>> StateFileReader::Open(const std::string& path) {
  std::unique_ptr<StateFileReader> reader(new StateFileReader());
  reader->path_ = path;
  // One read straight into the buffer the sections will point into: recovering a GB of state
  // must run at disk speed (docs/design/checkpoints.md §8).
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Status::IoError("cannot open state file " + path + ": " + std::strerror(errno));
  struct stat info;
  if (::fstat(fd, &info) != 0) {
    ::close(fd);
    return Status::IoError("cannot stat state file " + path + ": " + std::strerror(errno));
  }
  reader->contents_.resize(static_cast<size_t>(info.st_size));
  size_t done = 0;
  while (done < reader->contents_.size()) {
    ssize_t n = ::read(fd, reader->contents_.data() + done, reader->contents_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // a shorter file than its size: the checks below name it damaged
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  reader->contents_.resize(done);
  std::string_view data = reader->contents_;
  auto corrupt = [&](const std::string& why) {
    return Status::IoError("state file " + path + " is damaged: " + why);
  };
  if (data.size() < kMagic.size() + 4 + 4 + kFooterMagic.size() ||
      data.substr(0, kMagic.size()) != kMagic) {
    return corrupt("not a sluice state file");
  }
  if (data.substr(data.size() - kFooterMagic.size()) != kFooterMagic) {
    return corrupt("no footer (the file was cut short)");
  }
  size_t pos = kMagic.size();
  uint32_t version = 0;
  GetLittleEndian(data, &pos, &version);
  if (version != kVersion) return corrupt("version " + std::to_string(version) + " is unknown");
  const size_t body_end = data.size() - kFooterMagic.size() - 4;
  std::string_view body = data.substr(0, body_end);
  uint32_t count = 0;
  while (pos < body_end) {
    uint32_t name_size = 0;
    uint64_t size = 0;
    uint32_t crc = 0;
    if (!GetLittleEndian(body, &pos, &name_size) || body.size() - pos < name_size) {
      return corrupt("section header cut short");
    }
    std::string_view name = body.substr(pos, name_size);
    pos += name_size;
    if (!GetLittleEndian(body, &pos, &size) || body.size() - pos < size) {
      return corrupt("section '" + std::string(name) + "' cut short");
    }
    std::string_view section = body.substr(pos, size);
    pos += size;
    if (!GetLittleEndian(body, &pos, &crc) || crc != Crc(name, section)) {
      return corrupt("section '" + std::string(name) + "' fails its checksum");
    }
    reader->sections_.emplace(std::string(name), section);
    ++count;
  }
  size_t footer_pos = body_end;
  uint32_t declared = 0;
  GetLittleEndian(data, &footer_pos, &declared);
  if (declared != count) {
    return corrupt("footer counts " + std::to_string(declared) + " sections, found " +
                   std::to_string(count));
  }
  return reader;
}

Result<std::string_view> StateFileReader::Section(std::string_view name) const {
  auto it = sections_.find(name);
  if (it == sections_.end()) {
    return Status::NotFound("state file " + path_ + " has no section '" + std::string(name) + "'");
  }
  return it->second;
}

std::vector<std::string> StateFileReader::SectionNames() const {
  std::vector<std::string> names;
  for (const auto& [name, data] : sections_) names.push_back(name);
  return names;
}

}  // namespace sluice
