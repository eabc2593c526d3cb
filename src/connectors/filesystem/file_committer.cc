#include "connectors/filesystem/file_committer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

#include <simdjson.h>

#include "common/crash_point.h"
#include "common/file_sync.h"
#include "formats/json/json_encoder.h"

namespace sluice {

namespace {

namespace fs = std::filesystem;

// Makes one part visible; true in *renamed when this call renamed it.
Status CommitPart(const std::string& dir, const StagedPart& part, bool* renamed) {
  *renamed = false;
  const fs::path hidden = fs::path(dir) / part.hidden;
  const fs::path final_path = fs::path(dir) / part.final_name;
  std::error_code ec;
  const uint64_t hidden_size = fs::file_size(hidden, ec);
  if (!ec) {
    if (static_cast<int64_t>(hidden_size) != part.size) {
      return Status::IoError("file sink: staged part '" + hidden.string() + "' has " +
                             std::to_string(hidden_size) + " bytes, " + std::to_string(part.size) +
                             " were pre-committed");
    }
    fs::rename(hidden, final_path, ec);
    if (ec) {
      return Status::IoError("file sink: cannot rename '" + hidden.string() + "' to '" +
                             final_path.string() + "': " + ec.message());
    }
    *renamed = true;
    return Status::OK();
  }
  // Committed before (a repeated commit, or recovery after a crash mid-commit)?
  const uint64_t final_size = fs::file_size(final_path, ec);
  if (!ec && static_cast<int64_t>(final_size) == part.size) return Status::OK();
  if (!ec) {
    return Status::IoError("file sink: '" + final_path.string() + "' has " +
                           std::to_string(final_size) + " bytes, but " + std::to_string(part.size) +
                           " were committed to it");
  }
  return Status::IoError("file sink: staged part '" + hidden.string() +
                         "' is gone and was never committed as '" + final_path.string() +
                         "': its rows are lost");
}

}  // namespace

std::string EncodeStagedParts(const StagedParts& staged) {
  std::string out = "{\"dir\":";
  AppendJsonString(staged.dir, &out);
  out += ",\"parts\":[";
  for (size_t i = 0; i < staged.parts.size(); ++i) {
    const StagedPart& part = staged.parts[i];
    if (i > 0) out += ',';
    out += "{\"hidden\":";
    AppendJsonString(part.hidden, &out);
    out += ",\"final\":";
    AppendJsonString(part.final_name, &out);
    out += ",\"size\":" + std::to_string(part.size) + "}";
  }
  out += "]}";
  return out;
}

Result<StagedParts> DecodeStagedParts(const std::string& data) {
  auto bad = [&](const char* what) {
    return Status::InvalidArgument(std::string("file sink: committable ") + what + ": " + data);
  };
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::array parts;
  std::string_view dir;
  if (parser.parse(data).get(root)) return bad("is not JSON");
  if (root["dir"].get(dir) || root["parts"].get(parts)) return bad("lacks 'dir' or 'parts'");
  StagedParts staged;
  staged.dir = std::string(dir);
  for (simdjson::dom::element element : parts) {
    std::string_view hidden, final_name;
    int64_t size = 0;
    if (element["hidden"].get(hidden) || element["final"].get(final_name) ||
        element["size"].get(size)) {
      return bad("has a part without 'hidden', 'final' or 'size'");
    }
    // Names only: a committable must not move files out of its directory.
    if (hidden.find('/') != std::string_view::npos ||
        final_name.find('/') != std::string_view::npos) {
      return bad("names a path instead of a file");
    }
    staged.parts.push_back({std::string(hidden), std::string(final_name), size});
  }
  return staged;
}

Status FileCommitter::Commit(CheckpointId id, const std::vector<Committable>& committables) {
  // Decode everything first: a bad committable fails the commit before any rename.
  std::vector<StagedParts> all;
  for (const Committable& committable : committables) {
    if (committable.data.empty()) continue;
    auto staged = DecodeStagedParts(committable.data);
    if (!staged.ok()) {
      return staged.status().WithContext("checkpoint " + std::to_string(id) + ", writer " +
                                         std::to_string(committable.writer));
    }
    all.push_back(std::move(staged).value());
  }
  std::set<std::string> dirs;
  bool renamed_before = false;
  for (const StagedParts& staged : all) {
    dirs.insert(staged.dir);
    for (const StagedPart& part : staged.parts) {
      // Tests kill the process here to check that recovery finishes a half-done commit.
      if (renamed_before) CrashPoint("file-mid-rename");
      bool renamed = false;
      SLUICE_RETURN_IF_ERROR(CommitPart(staged.dir, part, &renamed));
      renamed_before = renamed_before || renamed;
    }
  }
  for (const std::string& dir : dirs) SLUICE_RETURN_IF_ERROR(SyncDirectory(dir));
  return Status::OK();
}

Status FileCommitter::Recover(CheckpointId restored, const std::vector<Committable>& pending) {
  SLUICE_RETURN_IF_ERROR(Commit(restored, pending));
  // Everything still staged belongs to epochs after `restored` (or to runs that never completed
  // a checkpoint): those rows will be produced again, so the parts go.
  std::set<std::string> dirs = {directory_};
  std::set<std::string> referenced;  // hidden names (unique: they hold the run id)
  for (const Committable& committable : pending) {
    if (committable.data.empty()) continue;
    SLUICE_ASSIGN_OR_RETURN(StagedParts staged, DecodeStagedParts(committable.data));
    dirs.insert(staged.dir);
    for (const StagedPart& part : staged.parts) {
      referenced.insert(part.hidden);
    }
  }
  for (const std::string& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;  // nothing was ever written there
    std::vector<fs::path> orphans;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.rfind(hidden_prefix_, 0) == 0 && !referenced.count(name)) {
        orphans.push_back(it->path());
      }
    }
    if (ec) return Status::IoError("file sink: cannot list '" + dir + "': " + ec.message());
    for (const fs::path& orphan : orphans) {
      fs::remove(orphan, ec);
      if (ec) {
        return Status::IoError("file sink: cannot delete '" + orphan.string() +
                               "': " + ec.message());
      }
    }
  }
  return Status::OK();
}

}  // namespace sluice
