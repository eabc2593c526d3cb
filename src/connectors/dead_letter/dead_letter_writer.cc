#include "connectors/dead_letter/dead_letter_writer.h"

#include <fcntl.h>
#include <simdjson.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "connectors/kafka/kafka_dead_letter.h"
#include "formats/json/json_encoder.h"
#include "formats/option_reader.h"
#include "formats/scalar_text.h"

namespace sluice {

namespace {

namespace fs = std::filesystem;

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Table names become part of file names: keep them tame.
std::string FileNamePart(std::string_view name) {
  std::string out;
  for (char c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '-' || c == '_';
    out.push_back(plain ? c : '_');
  }
  return out.empty() ? "table" : out;
}

std::atomic<uint64_t> g_next_file{0};

class FileDeadLetterWriter final : public DeadLetterWriter {
 public:
  // `fd` < 0: `path` is opened (created) on the first Write().
  FileDeadLetterWriter(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  ~FileDeadLetterWriter() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Write(const DeadLetter& letter) override {
    if (fd_ < 0) SLUICE_RETURN_IF_ERROR(Open());
    line_ = DeadLetterJsonLine(letter);
    // One write() per line: O_APPEND makes it land whole at the end of the file, whoever else
    // appends. A short write (a full disk) is finished but may then interleave: report it.
    size_t done = 0;
    while (done < line_.size()) {
      ssize_t n = ::write(fd_, line_.data() + done, line_.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::IoError("cannot write dead letter to '" + path_ +
                               "': " + std::strerror(errno));
      }
      done += static_cast<size_t>(n);
    }
    dirty_ = true;
    return Status::OK();
  }

  Status Flush() override {
    if (fd_ < 0 || !dirty_) return Status::OK();
    if (::fsync(fd_) != 0) {
      return Status::IoError("cannot sync dead letters in '" + path_ +
                             "': " + std::strerror(errno));
    }
    dirty_ = false;
    return Status::OK();
  }

 private:
  Status Open() {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      return Status::IoError("cannot open dead-letter file '" + path_ +
                             "': " + std::strerror(errno));
    }
    return Status::OK();
  }

  std::string path_;
  int fd_;
  bool dirty_ = false;
  std::string line_;
};

}  // namespace

void AppendBase64(std::string_view bytes, std::string* out) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = (s[i] << 16) | (s[i + 1] << 8) | s[i + 2];
    out->push_back(kAlphabet[v >> 18]);
    out->push_back(kAlphabet[(v >> 12) & 63]);
    out->push_back(kAlphabet[(v >> 6) & 63]);
    out->push_back(kAlphabet[v & 63]);
  }
  const size_t rest = bytes.size() - i;
  if (rest == 0) return;
  const uint32_t v = (s[i] << 16) | (rest == 2 ? s[i + 1] << 8 : 0);
  out->push_back(kAlphabet[v >> 18]);
  out->push_back(kAlphabet[(v >> 12) & 63]);
  out->push_back(rest == 2 ? kAlphabet[(v >> 6) & 63] : '=');
  out->push_back('=');
}

std::string DeadLetterJsonLine(const DeadLetter& letter) {
  std::string line = "{\"table\":";
  AppendJsonString(letter.table, &line);
  line += ",\"source\":";
  AppendJsonString(letter.source, &line);
  line += ",\"partition\":";
  AppendInt64Text(letter.partition, &line);
  line += ",\"offset\":";
  AppendInt64Text(letter.offset, &line);
  line += ",\"error\":";
  AppendJsonString(letter.error, &line);
  line += ",\"time\":\"";
  AppendTimestampText(letter.timestamp_micros != 0 ? letter.timestamp_micros : NowMicros(), 3, 'T',
                      &line);
  line += "Z\",\"key_base64\":";
  auto base64 = [&](const std::optional<std::string_view>& bytes) {
    if (!bytes) {
      line += "null";
      return;
    }
    line.push_back('"');
    AppendBase64(*bytes, &line);
    line.push_back('"');
  };
  base64(letter.key);
  line += ",\"value_base64\":";
  base64(letter.value);
  line += ",\"value_text\":";
  if (letter.value && simdjson::validate_utf8(letter.value->data(), letter.value->size())) {
    AppendJsonString(*letter.value, &line);
  } else {
    line += "null";
  }
  line += "}\n";
  return line;
}

Status CheckDeadLetterOptions(const Options& options) {
  OptionReader reader(options);
  const bool topic = reader.Has(kDeadLetterTopicOption);
  const bool path = reader.Has(kDeadLetterPathOption);
  if (topic && path) {
    return Status::InvalidOption(
        "options 'dead-letter.topic' and 'dead-letter.path' cannot both be set: pick one "
        "destination for undecodable records");
  }
  if (topic && reader.String(kDeadLetterTopicOption, "").empty()) {
    return Status::InvalidOption("option 'dead-letter.topic' must not be empty");
  }
  if (path && reader.String(kDeadLetterPathOption, "").empty()) {
    return Status::InvalidOption("option 'dead-letter.path' must not be empty");
  }
  return Status::OK();
}

Result<std::unique_ptr<DeadLetterWriter>> MakeFileDeadLetterWriter(const std::string& table,
                                                                   const std::string& path) {
  std::error_code ec;
  const bool directory = path.back() == '/' || fs::is_directory(path, ec);
  if (directory) {
    fs::create_directories(path, ec);
    if (ec) {
      return Status::IoError("cannot create dead-letter directory '" + path + "': " + ec.message());
    }
    std::string file = "dead-letters-" + FileNamePart(table) + "-" + std::to_string(::getpid()) +
                       "-" + std::to_string(g_next_file.fetch_add(1)) + ".jsonl";
    return std::unique_ptr<DeadLetterWriter>(
        std::make_unique<FileDeadLetterWriter>((fs::path(path) / file).string(), /*fd=*/-1));
  }
  fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) {
    fs::create_directories(parent, ec);
    if (ec) {
      return Status::IoError("cannot create directory '" + parent.string() +
                             "' for dead letters: " + ec.message());
    }
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::IoError("cannot open dead-letter file '" + path + "': " + std::strerror(errno));
  }
  return std::unique_ptr<DeadLetterWriter>(std::make_unique<FileDeadLetterWriter>(path, fd));
}

Result<std::unique_ptr<DeadLetterWriter>> MakeDeadLetterWriter(const TableContext& context) {
  const Options& options = context.table->options;
  SLUICE_RETURN_IF_ERROR(CheckDeadLetterOptions(options));
  OptionReader reader(options);
  if (reader.Has(kDeadLetterTopicOption)) {
    return MakeKafkaDeadLetterWriter(context, reader.String(kDeadLetterTopicOption, ""));
  }
  if (reader.Has(kDeadLetterPathOption)) {
    return MakeFileDeadLetterWriter(context.table->name, reader.String(kDeadLetterPathOption, ""));
  }
  return std::unique_ptr<DeadLetterWriter>();
}

}  // namespace sluice
