#include "exec/operators/row_compare.h"

#include <cstring>
#include <string_view>
#include <type_traits>

namespace sluice {

namespace {

template <typename T>
void MarkChanged(const Column& a, const uint32_t* a_rows, const Column& b, const uint32_t* b_rows,
                 size_t count, uint8_t* differs) {
  const T* av = a.data<T>();
  const T* bv = b.data<T>();
  const uint8_t* a_valid = a.validity();
  const uint8_t* b_valid = b.validity();
  for (size_t i = 0; i < count; ++i) {
    const size_t ra = a_rows ? a_rows[i] : i;
    const size_t rb = b_rows ? b_rows[i] : i;
    const bool a_null = a_valid && !a_valid[ra];
    const bool b_null = b_valid && !b_valid[rb];
    bool same;
    if (a_null || b_null) {
      same = a_null == b_null;
    } else if constexpr (std::is_same_v<T, std::string_view>) {
      same = av[ra] == bv[rb];
    } else {
      same = std::memcmp(&av[ra], &bv[rb], sizeof(T)) == 0;
    }
    if (!same) differs[i] = 1;
  }
}

}  // namespace

void MarkChangedRows(const Column& a, const uint32_t* a_rows, const Column& b,
                     const uint32_t* b_rows, size_t count, uint8_t* differs) {
  switch (a.type().id) {
    case TypeId::kNull:
    case TypeId::kBoolean:
      MarkChanged<uint8_t>(a, a_rows, b, b_rows, count, differs);
      return;
    case TypeId::kInt:
    case TypeId::kDate:
      MarkChanged<int32_t>(a, a_rows, b, b_rows, count, differs);
      return;
    case TypeId::kDecimal:
      MarkChanged<int128_t>(a, a_rows, b, b_rows, count, differs);
      return;
    case TypeId::kVarchar:
      MarkChanged<std::string_view>(a, a_rows, b, b_rows, count, differs);
      return;
    default:
      MarkChanged<int64_t>(a, a_rows, b, b_rows, count, differs);  // 8-byte values and DOUBLE
  }
}

}  // namespace sluice
