#pragma once
// FieldGenerator: fills one column of a datagen batch. Each column of each split has its own
// random streams (values, NULLs), so the rows a split produces depend only on the seed and the
// row's position — not on batch sizes or the other columns.

#include <cstdint>
#include <string>

#include "columnar/column.h"
#include "connectors/datagen/datagen_options.h"
#include "connectors/datagen/fast_random.h"

namespace sluice {

/// The clock a batch is generated at (TIMESTAMP columns use wall-clock time in the session
/// zone, TIMESTAMP_LTZ the instant, as Flink's LocalDateTime.now() / Instant.now()).
struct GeneratorClock {
  int64_t now_utc_micros = 0;
  int64_t now_local_micros = 0;
};

class FieldGenerator {
 public:
  /// `sequence_offset`: how far into the sequence this split starts.
  FieldGenerator(const DatagenFieldConfig& config, uint64_t stream_seed, int64_t sequence_offset);

  /// Writes rows [0, count) of `column` (already sized to at least count) for the split's rows
  /// first_row .. first_row + count - 1.
  void Fill(Column* column, size_t count, uint64_t first_row, const GeneratorClock& clock);

  /// The state of the value and NULL streams: with the row index, all a checkpoint needs (a
  /// random value takes a varying number of draws, so the row index alone does not say it).
  uint64_t values_state() const { return values_.state(); }
  uint64_t nulls_state() const { return nulls_.state(); }
  void RestoreState(uint64_t values, uint64_t nulls) {
    values_ = FastRandom(values);
    nulls_ = FastRandom(nulls);
  }

 private:
  void FillRandom(Column* column, size_t count, const GeneratorClock& clock);
  void FillSequence(Column* column, size_t count, uint64_t first_row);

  DatagenFieldConfig config_;
  FastRandom values_;
  FastRandom nulls_;
  int64_t sequence_offset_;
  std::string scratch_;
};

}  // namespace sluice
