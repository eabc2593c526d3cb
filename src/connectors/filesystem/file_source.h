#pragma once
// FileSource: the filesystem connector's source. 'path' is a file or a directory; a directory
// means every regular file directly in it, sorted by name, skipping hidden files (names starting
// with '.' or '_', as Flink does — the sink's in-progress files are hidden). One split per file.
// The files present when the splits are listed are read once and the source ends
// ('source.monitor-interval' is accepted but new files are not picked up).
//
// A reader reads its file in large blocks, frames records with the format's decoder and decodes
// whole runs of them; decoded strings point into the blocks, which the batches keep alive.
// Errors name the file and line: "orders.json line 17: expected a number for column 'amount'".
//
// Undecodable records: with the table's 'dead-letter.path' / 'dead-letter.topic' each one goes to
// the dead-letter queue (source = the file's path, offset = its line number, partition -1) and
// reading goes on; records skipped under the format's '*.ignore-parse-errors' are counted. Both
// land in TableContext::errors when it is set.
//
// Checkpoints: each split (file) is one stream named by its split id ("file:<path>"); its
// position is {"offset":<byte offset after the last row handed over>,"line":<lines before it>},
// plus "ended":true once the whole file was read. A restore seeks there (csv has no header
// line to skip) after checking the file still has a line end just before it; a file without a
// saved position (new since the checkpoint) is read from its start. There is no compression,
// so every file can be sought.

#include <memory>
#include <string>
#include <vector>

#include "connectors/connector.h"
#include "formats/format.h"
#include "runtime/dead_letter.h"
#include "runtime/source.h"

namespace sluice {

class FileSource final : public Source {
 public:
  /// Reads `context.physical_schema` from `path` in `format`; the table's options configure the
  /// format and the dead-letter queue.
  FileSource(std::string path, const FormatSpec* format, TableContext context)
      : path_(std::move(path)), format_(format), context_(std::move(context)) {}

  Result<std::vector<SourceSplit>> ListSplits(int parallelism) override;
  Result<std::unique_ptr<SplitReader>> CreateReader(const SourceSplit& split) override;
  bool IsBounded() const override { return true; }
  Status EnableCheckpointing() override { return Status::OK(); }

 private:
  std::string path_;
  const FormatSpec* format_;
  TableContext context_;
  std::vector<std::string> files_;
};

/// Where a file reader's undecodable and skipped records go. Both members may be null: without a
/// dead-letter writer the first undecodable record fails the read.
struct FileReaderErrors {
  std::string table;  // the table's name, for dead letters
  std::unique_ptr<DeadLetterWriter> dead_letters;
  std::shared_ptr<SourceErrorCounters> counters;
};

/// A reader over one file (exposed for tests and tools). `block_size`: bytes read at a time.
Result<std::unique_ptr<SplitReader>> MakeFileSplitReader(std::string path,
                                                         std::unique_ptr<RecordDecoder> decoder,
                                                         size_t block_size = 4 << 20,
                                                         FileReaderErrors errors = {});

}  // namespace sluice
