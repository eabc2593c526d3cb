#pragma once
// Row-wise equality of two result columns: how an aggregate tells whether a new result differs
// from the one it emitted before (Flink suppresses -U/+U pairs whose values are equal).

#include <cstdint>

#include "columnar/column.h"

namespace sluice {

/// For i < count: sets differs[i] = 1 when row a_rows[i] of `a` and row b_rows[i] of `b` (same
/// type) differ; leaves it alone otherwise. Two NULLs are equal; DOUBLEs compare by bits, so a
/// NaN result equals itself. Null row arrays mean rows 0..count-1.
void MarkChangedRows(const Column& a, const uint32_t* a_rows, const Column& b,
                     const uint32_t* b_rows, size_t count, uint8_t* differs);

}  // namespace sluice
