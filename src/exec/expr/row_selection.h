#pragma once
// Selection-vector plumbing for the evaluator: a computation runs on the batch rows rows[0..count)
// (or 0..count when rows is null); narrowing it to a subset is a list of positions into that
// range, and results computed on the subset are scattered back by position.

#include <cstdint>
#include <vector>

#include "columnar/column.h"
#include "exec/functions/scalar_function.h"

namespace sluice {

inline uint32_t RowAt(const uint32_t* rows, size_t i) {
  return rows != nullptr ? rows[i] : static_cast<uint32_t>(i);
}

/// Batch rows of the given positions: rows[positions[k]].
std::vector<uint32_t> RowsAtPositions(const uint32_t* rows, const std::vector<uint32_t>& positions);

/// Rows of rows[0..count) that are not in `taken` (an in-order subsequence of them), in order.
std::vector<uint32_t> Complement(const uint32_t* rows, size_t count, const uint32_t* taken,
                                 size_t taken_count);

/// Merges two disjoint in-order subsequences of rows[0..count) into out (which may alias rows),
/// keeping the order of rows. Returns a_count + b_count.
size_t MergeInOrder(const uint32_t* rows, size_t count, const uint32_t* a, size_t a_count,
                    const uint32_t* b, size_t b_count, uint32_t* out);

/// out[positions[k]] = d[k] (values and NULLs); VARCHAR views keep d's memory alive.
void ScatterInto(const Datum& d, const std::vector<uint32_t>& positions, Column* out);

/// Positions (0..count) where a BOOLEAN datum is TRUE; with `rest`, the others go there.
std::vector<uint32_t> TruePositions(const Datum& condition, const std::vector<uint32_t>& among,
                                    std::vector<uint32_t>* rest);

/// A column of `count` rows from a datum (a constant is repeated).
ColumnPtr Materialize(const Datum& d, size_t count);

}  // namespace sluice
