#include "common/file_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sluice {

namespace {

Status SyncPath(const std::string& path, int flags, const char* what) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) {
    return Status::IoError(std::string("cannot open ") + what + " '" + path +
                           "': " + std::strerror(errno));
  }
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) {
    return Status::IoError(std::string("cannot sync ") + what + " '" + path +
                           "': " + std::strerror(saved));
  }
  return Status::OK();
}

}  // namespace

Status SyncFile(const std::string& path) {
  return SyncPath(path, O_RDONLY, "file");
}

Status SyncDirectory(const std::string& dir) {
  return SyncPath(dir, O_RDONLY | O_DIRECTORY, "directory");
}

}  // namespace sluice
