#include "state/state_handle.h"

#include <filesystem>
#include <system_error>
#include <unordered_set>

namespace sluice {
namespace {

constexpr uint32_t kHandleMagic = 0x534b4452;  // "RDKS"
constexpr uint32_t kHandleVersion = 1;

/// A plain file name: no separators, not "." or "..": a handle never points outside its dirs.
bool IsPlainName(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

}  // namespace

std::string StateHandle::StoredPath(const StateFile& file) const {
  return (file.shared ? shared_dir : checkpoint_dir) + "/" + file.stored_name;
}

std::vector<std::string> StateHandle::SharedFileNames() const {
  std::vector<std::string> names;
  for (const StateFile& file : files) {
    if (file.shared) names.push_back(file.stored_name);
  }
  return names;
}

uint64_t StateHandle::TotalBytes() const {
  uint64_t total = 0;
  for (const StateFile& file : files) total += file.bytes;
  return total;
}

void StateHandle::Encode(StateEncoder* out) const {
  out->U32(kHandleMagic);
  out->U32(kHandleVersion);
  out->I64(checkpoint);
  out->Bytes(checkpoint_dir);
  out->Bytes(shared_dir);
  out->U64(files.size());
  for (const StateFile& file : files) {
    out->Bool(file.shared);
    out->Bytes(file.local_name);
    out->Bytes(file.stored_name);
    out->U64(file.bytes);
    out->Bytes(file.crc32c);
  }
}

Result<StateHandle> StateHandle::Decode(StateDecoder* in) {
  uint32_t magic = 0;
  uint32_t version = 0;
  SLUICE_RETURN_IF_ERROR(in->U32(&magic));
  if (magic != kHandleMagic) {
    return Status::DecodeError(in->what() + ": not a RocksDB state handle");
  }
  SLUICE_RETURN_IF_ERROR(in->U32(&version));
  if (version != kHandleVersion) {
    return Status::DecodeError(in->what() + ": RocksDB state handle version " +
                               std::to_string(version) + " is not supported (expected " +
                               std::to_string(kHandleVersion) + ")");
  }
  StateHandle handle;
  SLUICE_RETURN_IF_ERROR(in->I64(&handle.checkpoint));
  SLUICE_RETURN_IF_ERROR(in->String(&handle.checkpoint_dir));
  SLUICE_RETURN_IF_ERROR(in->String(&handle.shared_dir));
  uint64_t count = 0;
  SLUICE_RETURN_IF_ERROR(in->U64(&count));
  // Each file takes at least 33 bytes: a count beyond that is corruption, not a huge reserve.
  if (count > in->remaining() / 33) return in->Corrupt("file count");
  handle.files.resize(count);
  for (StateFile& file : handle.files) {
    SLUICE_RETURN_IF_ERROR(in->Bool(&file.shared));
    SLUICE_RETURN_IF_ERROR(in->String(&file.local_name));
    SLUICE_RETURN_IF_ERROR(in->String(&file.stored_name));
    SLUICE_RETURN_IF_ERROR(in->U64(&file.bytes));
    SLUICE_RETURN_IF_ERROR(in->String(&file.crc32c));
    if (!IsPlainName(file.local_name) || !IsPlainName(file.stored_name)) {
      return Status::DecodeError(in->what() + ": RocksDB state handle names an invalid file '" +
                                 file.stored_name + "'");
    }
  }
  return handle;
}

Status CollectGarbage(const std::string& shared_dir, const std::vector<std::string>& referenced,
                      int* deleted) {
  namespace fs = std::filesystem;
  if (deleted != nullptr) *deleted = 0;
  std::error_code ec;
  if (!fs::exists(shared_dir, ec)) return Status::OK();
  std::unordered_set<std::string> keep(referenced.begin(), referenced.end());
  std::vector<fs::path> doomed;
  for (fs::directory_iterator it(shared_dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!keep.contains(it->path().filename().string())) doomed.push_back(it->path());
  }
  if (ec) return Status::IoError("listing " + shared_dir + ": " + ec.message());
  for (const fs::path& path : doomed) {
    fs::remove(path, ec);
    if (ec) return Status::IoError("deleting " + path.string() + ": " + ec.message());
    if (deleted != nullptr) ++*deleted;
  }
  return Status::OK();
}

}  // namespace sluice
