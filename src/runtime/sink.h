#pragma once
// Sink and SinkWriter: how the runtime hands rows to connectors.
//
// One SinkWriter per parallel sink task, called only from that task's thread. Write() receives
// rows with the sink table's physical schema and, for updating results, their RowKinds. A writer
// may buffer; Flush() makes everything written so far durable and visible (it is called
// periodically, at end of input, and before Close()). Several writers may share a resource (one
// DuckDB file): the Sink owns what is shared, and must outlive its writers.

#include <climits>
#include <memory>

#include "columnar/batch.h"
#include "common/status.h"

namespace sluice {

class SinkWriter {
 public:
  virtual ~SinkWriter() = default;
  virtual Status Open() { return Status::OK(); }
  virtual Status Write(const Batch& batch) = 0;
  virtual Status Flush() = 0;
  virtual Status Close() { return Status::OK(); }
};

class Sink {
 public:
  virtual ~Sink() = default;
  virtual Result<std::unique_ptr<SinkWriter>> CreateWriter(int instance, int parallelism) = 0;
  /// Writers this sink supports at once (print: many; a single file: 1).
  virtual int MaxParallelism() const { return INT_MAX; }
};

}  // namespace sluice
