#pragma once
// RecordEncoder: turns Batch rows into bytes, one record per row. Text formats end each record
// with '\n' (JSON lines, CSV rows); formats framed by the transport (FormatSpec::
// framed_by_transport: avro, raw) append no separator and the transport cuts at `row_ends`.
// One encoder per writer; not shared between threads.
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
  /// just past each row's record (and its '\n', if any) is appended to it (message-per-row
  /// transports split on these).
  virtual Status Encode(const Batch& batch, size_t begin, size_t end, std::string* out,
                        std::vector<size_t>* row_ends = nullptr) = 0;
};

}  // namespace sluice
