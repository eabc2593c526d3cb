#pragma once
// The datagen connector's options, parsed and checked against the table's columns.
//
//   rows-per-second        Default: 10000. Split evenly over the splits. 'unlimited' or -1: as
//                          fast as possible (sluice extension).
//   number-of-rows         Default: none (unbounded). Total rows, divided over the splits.
//   sluice.seed            Default: 0. Seeds every random stream (per split and column), so a
//                          table generates the same rows on every run.
//   fields.#.kind          'random' (default) or 'sequence'.
//   fields.#.min / .max    random INT, BIGINT, DOUBLE, DECIMAL. Default: the type's range
//                          (DOUBLE: Java's Double.MIN_VALUE .. Double.MAX_VALUE, as Flink).
//   fields.#.max-past      random TIMESTAMP, TIMESTAMP_LTZ, DATE: values are now minus up to
//                          this duration. Default: 0.
//   fields.#.length        random STRING length. Default: 100. Hex characters, as Flink.
//   fields.#.var-len       random STRING of length 1..length. Default: false.
//   fields.#.start / .end  sequence of INT, BIGINT, DOUBLE, DECIMAL, STRING values (required).
//   fields.#.null-rate     Share of NULLs, 0..1. Default: 0.
//
// With sequence fields the source is bounded by the shortest sequence (and number-of-rows).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "common/status.h"
#include "exec/plan/table_def.h"

namespace sluice {

struct DatagenFieldConfig {
  std::string name;
  LogicalType type;
  bool sequence = false;
  int64_t start = 0;  // sequence: first and last value
  int64_t end = 0;
  int64_t min_int = 0, max_int = 0;  // random INT/BIGINT
  double min_double = 0, max_double = 0;
  int128_t min_decimal = 0, max_decimal = 0;  // unscaled
  int64_t max_past_micros = 0;
  int64_t length = 100;
  bool var_len = false;
  double null_rate = 0;
};

struct DatagenConfig {
  double rows_per_second = 10000;  // 0: unlimited
  std::optional<int64_t> number_of_rows;
  uint64_t seed = 0;
  std::vector<DatagenFieldConfig> fields;  // one per physical column

  /// Rows the table generates in total, or none when unbounded.
  std::optional<int64_t> TotalRows() const;
};

Result<DatagenConfig> ParseDatagenConfig(const Schema& physical_schema, const Options& options);

}  // namespace sluice
