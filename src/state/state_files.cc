#include "state/state_files.h"
#include "common/file_sync.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rocksdb/file_checksum.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

namespace sluice {
namespace {

Status Errno(const std::string& what, const std::string& path) {
  return Status::IoError(what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

Status LinkOrCopyFile(const std::string& from, const std::string& to) {
  if (::link(from.c_str(), to.c_str()) == 0) return Status::OK();
  // EXDEV: another file system; EPERM/ENOTSUP/EMLINK: no (more) links there. Copy instead.
  if (errno == EXDEV || errno == EPERM || errno == ENOTSUP || errno == EMLINK) {
    return CopyFileSynced(from, to);
  }
  return Status::IoError("linking " + from + " to " + to + ": " + std::strerror(errno));
}

Status CopyFileSynced(const std::string& from, const std::string& to) {
  std::error_code ec;
  std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing, ec);
  if (ec) return Status::IoError("copying " + from + " to " + to + ": " + ec.message());
  return SyncFile(to);
}

Status CreateDirectories(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IoError("creating " + dir + ": " + ec.message());
  return Status::OK();
}

Status RemoveTree(const std::string& dir) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  if (ec) return Status::IoError("removing " + dir + ": " + ec.message());
  return Status::OK();
}

Result<uint64_t> RegularFileSize(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::NotFound(path + " does not exist");
    return Errno("reading the size of", path);
  }
  if (!S_ISREG(st.st_mode)) return Status::IoError(path + " is not a regular file");
  return static_cast<uint64_t>(st.st_size);
}

Result<std::string> FileCrc32c(const std::string& path) {
  rocksdb::FileChecksumGenContext context;
  context.file_name = path;
  auto generator = rocksdb::GetFileChecksumGenCrc32cFactory()->CreateFileChecksumGenerator(context);
  std::ifstream in(path, std::ios::binary);
  if (!in) return Errno("opening", path);
  std::vector<char> buffer(size_t{1} << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (in.gcount() > 0) generator->Update(buffer.data(), static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) return Errno("reading", path);
  generator->Finalize();
  return generator->GetChecksum();
}

}  // namespace sluice
