#include "exec/expr/row_selection.h"

#include <cstring>

namespace sluice {

std::vector<uint32_t> RowsAtPositions(const uint32_t* rows,
                                      const std::vector<uint32_t>& positions) {
  if (rows == nullptr) return positions;
  std::vector<uint32_t> out(positions.size());
  for (size_t k = 0; k < positions.size(); ++k) out[k] = rows[positions[k]];
  return out;
}

std::vector<uint32_t> Complement(const uint32_t* rows, size_t count, const uint32_t* taken,
                                 size_t taken_count) {
  std::vector<uint32_t> out;
  out.reserve(count - taken_count);
  size_t t = 0;
  for (size_t i = 0; i < count; ++i) {
    uint32_t r = RowAt(rows, i);
    if (t < taken_count && taken[t] == r) {
      ++t;
    } else {
      out.push_back(r);
    }
  }
  return out;
}

size_t MergeInOrder(const uint32_t* rows, size_t count, const uint32_t* a, size_t a_count,
                    const uint32_t* b, size_t b_count, uint32_t* out) {
  size_t n = 0, pa = 0, pb = 0;
  for (size_t i = 0; i < count && n < a_count + b_count; ++i) {
    uint32_t r = RowAt(rows, i);
    if (pa < a_count && a[pa] == r) {
      out[n++] = r;
      ++pa;
    } else if (pb < b_count && b[pb] == r) {
      out[n++] = r;
      ++pb;
    }
  }
  return n;
}

namespace {

template <size_t kWidth>
void ScatterValues(const uint8_t* src, bool constant, const std::vector<uint32_t>& positions,
                   uint8_t* dst) {
  for (size_t k = 0; k < positions.size(); ++k) {
    std::memcpy(dst + positions[k] * kWidth, src + (constant ? 0 : k) * kWidth, kWidth);
  }
}

}  // namespace

void ScatterInto(const Datum& d, const std::vector<uint32_t>& positions, Column* out) {
  if (positions.empty()) return;
  const Column& in = *d.column;
  if (in.type().id == TypeId::kNull) {
    for (uint32_t p : positions) out->SetNull(p, true);
    return;
  }
  const uint8_t* src = in.data<uint8_t>();
  uint8_t* dst = out->data<uint8_t>();
  switch (out->type().PhysicalSize()) {
    case 1:
      ScatterValues<1>(src, d.constant, positions, dst);
      break;
    case 4:
      ScatterValues<4>(src, d.constant, positions, dst);
      break;
    case 8:
      ScatterValues<8>(src, d.constant, positions, dst);
      break;
    default:
      ScatterValues<16>(src, d.constant, positions, dst);
      break;
  }
  if (in.HasNulls()) {
    for (size_t k = 0; k < positions.size(); ++k) {
      if (d.IsNull(k)) out->SetNull(positions[k], true);
    }
  }
  if (out->type().id == TypeId::kVarchar) out->KeepAlive(d.column);
}

std::vector<uint32_t> TruePositions(const Datum& condition, const std::vector<uint32_t>& among,
                                    std::vector<uint32_t>* rest) {
  std::vector<uint32_t> taken;
  const uint8_t* values = condition.data<uint8_t>();
  for (size_t k = 0; k < among.size(); ++k) {
    bool is_true = !condition.IsNull(k) && values[condition.constant ? 0 : k] != 0;
    if (is_true) {
      taken.push_back(among[k]);
    } else if (rest != nullptr) {
      rest->push_back(among[k]);
    }
  }
  return taken;
}

ColumnPtr Materialize(const Datum& d, size_t count) {
  if (!d.constant) return d.column;
  return Column::Constant(d.column->GetValue(0), d.column->type(), count);
}

}  // namespace sluice
