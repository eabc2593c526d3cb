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

#include <memory>
#include <string>
#include <vector>

#include "exec/plan/table_def.h"
#include "formats/format.h"
#include "runtime/source.h"

namespace sluice {

class FileSource final : public Source {
 public:
  FileSource(std::string path, const FormatSpec* format, Schema schema, Options options)
      : path_(std::move(path)),
        format_(format),
        schema_(std::move(schema)),
        options_(std::move(options)) {}

  Result<std::vector<SourceSplit>> ListSplits(int parallelism) override;
  Result<std::unique_ptr<SplitReader>> CreateReader(const SourceSplit& split) override;
  bool IsBounded() const override { return true; }

 private:
  std::string path_;
  const FormatSpec* format_;
  Schema schema_;
  Options options_;
  std::vector<std::string> files_;
};

/// A reader over one file (exposed for tests and tools). `block_size`: bytes read at a time.
Result<std::unique_ptr<SplitReader>> MakeFileSplitReader(std::string path,
                                                         std::unique_ptr<RecordDecoder> decoder,
                                                         size_t block_size = 4 << 20);

}  // namespace sluice
