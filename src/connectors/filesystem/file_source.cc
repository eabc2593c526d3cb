#include "connectors/filesystem/file_source.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <simdjson.h>

#include "connectors/dead_letter/dead_letter_writer.h"

namespace sluice {

namespace {

namespace fs = std::filesystem;

// A block of file bytes with kRecordPadding spare bytes after the end, so JSON parses in place.
struct Block {
  explicit Block(size_t size) : capacity(size), bytes(new char[size + kRecordPadding]) {
    std::memset(bytes.get() + size, 0, kRecordPadding);
  }
  size_t capacity;
  size_t filled = 0;
  std::unique_ptr<char[]> bytes;
};

size_t CountNewlines(const char* begin, const char* end) {
  size_t n = 0;
  while (begin < end) {
    const void* nl = std::memchr(begin, '\n', end - begin);
    if (!nl) break;
    ++n;
    begin = static_cast<const char*>(nl) + 1;
  }
  return n;
}

class FileSplitReader final : public SplitReader {
 public:
  FileSplitReader(std::string path, std::unique_ptr<RecordDecoder> decoder, size_t block_size,
                  FileReaderErrors errors)
      : path_(std::move(path)),
        name_(fs::path(path_).filename().string()),
        stream_("file:" + path_),
        decoder_(std::move(decoder)),
        block_size_(std::max<size_t>(block_size, 64)),
        errors_(std::move(errors)) {}

  ~FileSplitReader() override {
    if (file_) std::fclose(file_);
  }

  Status Open() override {
    block_ = std::make_shared<Block>(block_size_);
    if (ended_) return Status::OK();  // restored at its end: the file need not exist any more
    file_ = std::fopen(path_.c_str(), "rb");
    if (!file_) return Status::IoError("cannot open '" + path_ + "': " + std::strerror(errno));
    if (block_offset_ > 0) return SeekToRestoredOffset();
    return Status::OK();
  }

  Result<Batch> Poll(size_t max_rows, bool* end_of_split) override {
    if (ended_) {
      *end_of_split = true;
      return Batch::Empty(decoder_->schema());
    }
    if (!file_) return Status::Internal("file reader polled before Open(): " + path_);
    Batch batch;
    size_t rows = 0;
    while (rows < max_rows) {
      std::string_view rest(block_->bytes.get() + pos_, block_->filled - pos_);
      records_.clear();
      size_t used = decoder_->SplitRecords(rest, eof_, max_rows - rows, &records_);
      if (!records_.empty()) {
        std::span<const std::string_view> pending(records_);
        while (!pending.empty()) {
          DecodeResult result;
          Status status = decoder_->Decode({pending, block_, /*padded=*/true}, &batch, &result);
          rows += result.rows;
          skipped_ += result.skipped.size();
          if (errors_.counters) errors_.counters->skipped += result.skipped.size();
          if (status.ok()) break;
          if (status.code() != ErrorCode::kDecodeError || !errors_.dead_letters) {
            const char* bad = pending[result.consumed].data();
            size_t line = 1 + line_ + CountNewlines(rest.data(), bad);
            pos_ += bad - rest.data();  // Position() points at the bad record
            return status.WithContext(name_ + " line " + std::to_string(line));
          }
          SLUICE_RETURN_IF_ERROR(DeadLetter(rest, pending[result.consumed], status));
          pending = pending.subspan(result.consumed + 1);
        }
        line_ += CountNewlines(rest.data(), rest.data() + used);
        pos_ += used;
        continue;
      }
      line_ += CountNewlines(rest.data(), rest.data() + used);
      pos_ += used;  // blank lines
      if (eof_) {
        *end_of_split = true;
        ended_ = true;
        if (errors_.dead_letters) SLUICE_RETURN_IF_ERROR(errors_.dead_letters->Flush());
        break;
      }
      SLUICE_RETURN_IF_ERROR(ReadBlock());
    }
    if (batch.num_columns() == 0) batch = Batch::Empty(decoder_->schema());
    return batch;
  }

  std::string Position() const override { return std::to_string(block_offset_ + pos_); }

  Status SnapshotPositions(std::vector<StreamPosition>* out) const override {
    // Dead letters of the rows handed over must survive a crash after this checkpoint: those
    // rows are not read again.
    if (errors_.dead_letters) SLUICE_RETURN_IF_ERROR(errors_.dead_letters->Flush());
    std::string state = "{\"offset\":" + std::to_string(block_offset_ + pos_) +
                        ",\"line\":" + std::to_string(line_);
    state += ended_ ? ",\"ended\":true}" : "}";
    out->push_back({stream_, std::move(state)});
    return Status::OK();
  }

  Status RestorePositions(const std::vector<StreamPosition>& positions) override {
    for (const StreamPosition& position : positions) {
      if (position.stream == stream_) return ParsePosition(position.state);
    }
    return Status::OK();  // a file new since the checkpoint: read from its start
  }

  std::string StreamName(int64_t stream) const override { return stream_; }

  Status Close() override {
    if (file_) std::fclose(file_);
    file_ = nullptr;
    if (errors_.dead_letters) return errors_.dead_letters->Flush();
    return Status::OK();
  }

  /// Records skipped under the format's ignore-parse-errors option.
  size_t skipped() const { return skipped_; }

 private:
  // Sends the undecodable `record` (a view into `rest`, the unconsumed part of the block) to the
  // dead-letter queue.
  Status DeadLetter(std::string_view rest, std::string_view record, const Status& why) {
    sluice::DeadLetter letter;
    letter.value = record;
    letter.table = errors_.table;
    letter.source = path_;
    letter.offset = static_cast<int64_t>(1 + line_ + CountNewlines(rest.data(), record.data()));
    letter.error = why.message();
    letter.timestamp_micros = std::chrono::duration_cast<std::chrono::microseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
    Status written = errors_.dead_letters->Write(letter);
    if (!written.ok()) {
      return written.WithContext(name_ + " line " + std::to_string(letter.offset));
    }
    if (errors_.counters) ++errors_.counters->dead_letters;
    return Status::OK();
  }

  Status ParsePosition(const std::string& state) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    uint64_t offset = 0, line = 0;
    bool ended = false;
    if (parser.parse(state).get(root) || root["offset"].get(offset) || root["line"].get(line)) {
      return Status::InvalidArgument("file source: bad checkpoint position for '" + path_ +
                                     "': " + state);
    }
    if (root["ended"].error() != simdjson::NO_SUCH_FIELD && root["ended"].get(ended)) {
      return Status::InvalidArgument("file source: bad 'ended' in position for '" + path_ +
                                     "': " + state);
    }
    block_offset_ = offset;
    line_ = line;
    ended_ = ended;
    return Status::OK();
  }

  // Resumes at the restored offset. The file must still hold it, at a record boundary (the byte
  // before it ends a line): otherwise the file changed and rows would be lost or repeated.
  Status SeekToRestoredOffset() {
    const uint64_t offset = block_offset_;
    std::error_code ec;
    const uint64_t size = fs::file_size(path_, ec);
    if (ec) return Status::IoError("cannot stat '" + path_ + "': " + ec.message());
    auto changed = [&](const std::string& why) {
      return Status::InvalidArgument("file source: '" + path_ + "' changed since the checkpoint (" +
                                     why + "); cannot resume at byte " + std::to_string(offset));
    };
    if (offset > size) return changed("it has " + std::to_string(size) + " bytes");
    if (offset < size) {
      char before = 0;
      if (fseeko(file_, static_cast<off_t>(offset - 1), SEEK_SET) != 0 ||
          std::fread(&before, 1, 1, file_) != 1) {
        return Status::IoError("cannot seek in '" + path_ + "': " + std::strerror(errno));
      }
      if (before != '\n') return changed("the byte before is not a line end");
    } else if (fseeko(file_, static_cast<off_t>(offset), SEEK_SET) != 0) {
      return Status::IoError("cannot seek in '" + path_ + "': " + std::strerror(errno));
    }
    return Status::OK();
  }

  // Starts a new block with the unconsumed tail of the current one, then fills it from the file.
  // The old block lives on in the batches that point into it.
  Status ReadBlock() {
    const size_t tail = block_->filled - pos_;
    size_t capacity = block_size_;
    while (capacity < tail * 2) capacity *= 2;  // a record longer than a block: grow
    auto next = std::make_shared<Block>(capacity);
    std::memcpy(next->bytes.get(), block_->bytes.get() + pos_, tail);
    next->filled = tail;
    size_t n = std::fread(next->bytes.get() + tail, 1, capacity - tail, file_);
    if (n < capacity - tail) {
      if (std::ferror(file_)) {
        return Status::IoError("cannot read '" + path_ + "': " + std::strerror(errno));
      }
      eof_ = true;
    }
    next->filled += n;
    block_offset_ += pos_;
    pos_ = 0;
    block_ = std::move(next);
    return Status::OK();
  }

  std::string path_;
  std::string name_;    // file name for error messages
  std::string stream_;  // the split id, "file:<path>": the key of the saved position
  std::unique_ptr<RecordDecoder> decoder_;
  size_t block_size_;
  std::FILE* file_ = nullptr;
  std::shared_ptr<Block> block_;
  size_t pos_ = 0;             // consumed bytes of block_
  uint64_t block_offset_ = 0;  // file offset of block_ byte 0
  uint64_t line_ = 0;          // newlines before block_offset_ + pos_
  bool eof_ = false;
  bool ended_ = false;  // every row was handed over (end_of_split was set)
  size_t skipped_ = 0;
  FileReaderErrors errors_;
  std::vector<std::string_view> records_;
};

bool IsHidden(const fs::path& p) {
  std::string name = p.filename().string();
  return name.empty() || name[0] == '.' || name[0] == '_';
}

}  // namespace

Result<std::unique_ptr<SplitReader>> MakeFileSplitReader(std::string path,
                                                         std::unique_ptr<RecordDecoder> decoder,
                                                         size_t block_size,
                                                         FileReaderErrors errors) {
  return std::unique_ptr<SplitReader>(std::make_unique<FileSplitReader>(
      std::move(path), std::move(decoder), block_size, std::move(errors)));
}

Result<std::vector<SourceSplit>> FileSource::ListSplits(int parallelism) {
  std::error_code ec;
  fs::file_status status = fs::status(path_, ec);
  if (ec || !fs::exists(status)) {
    return Status::NotFound("filesystem source: path '" + path_ + "' does not exist");
  }
  files_.clear();
  if (fs::is_directory(status)) {
    for (fs::directory_iterator it(path_, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file(ec) && !IsHidden(it->path())) files_.push_back(it->path().string());
    }
    if (ec) return Status::IoError("cannot list '" + path_ + "': " + ec.message());
    std::sort(files_.begin(), files_.end());
  } else {
    files_.push_back(path_);
  }
  std::vector<SourceSplit> splits;
  for (size_t i = 0; i < files_.size(); ++i) {
    splits.push_back({"file:" + files_[i], static_cast<int>(i)});
  }
  return splits;
}

Result<std::unique_ptr<SplitReader>> FileSource::CreateReader(const SourceSplit& split) {
  if (split.index < 0 || static_cast<size_t>(split.index) >= files_.size()) {
    return Status::Internal("filesystem: split " + split.id + " was not listed by this source");
  }
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<RecordDecoder> decoder,
                          format_->make_decoder(context_.physical_schema, context_.table->options));
  FileReaderErrors errors;
  errors.table = context_.table->name;
  SLUICE_ASSIGN_OR_RETURN(errors.dead_letters, MakeDeadLetterWriter(context_));
  errors.counters = context_.errors;
  return MakeFileSplitReader(files_[split.index], std::move(decoder), 4 << 20, std::move(errors));
}

}  // namespace sluice
