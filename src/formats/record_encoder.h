#pragma once
// RecordEncoder: turns Batch rows into bytes of a text format, one record per row, each ended
// by '\n' (JSON lines, CSV rows). One encoder per writer; not shared between threads.
//
// Encoders write insert-only rows: sinks that receive updates reject them before encoding.

#include <string>
#include <vector>

#include "columnar/batch.h"
#include "common/status.h"

namespace sluice {

class RecordEncoder {
 public:
  virtual ~RecordEncoder() = default;

  /// Appends rows [begin, end) of `batch` to `out`. When `row_ends` is given, the offset in `out`
  /// just past each row's '\n' is appended to it (message-per-row transports split on these).
  virtual Status Encode(const Batch& batch, size_t begin, size_t end, std::string* out,
                        std::vector<size_t>* row_ends = nullptr) = 0;
};

}  // namespace sluice
