#pragma once
// Loop templates the kernels are written with: each expands to a tight loop over typed buffers,
// specialised for column/constant layouts, with the NULL mask computed once per batch.

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include "exec/functions/scalar_function.h"

namespace sluice {

/// Reads an argument by row whether it is a column or a constant (step 0 broadcasts row 0).
template <typename T>
class ArgReader {
 public:
  explicit ArgReader(const Datum& d) : data_(d.data<T>()), step_(d.constant ? 0 : 1) {}
  T operator[](size_t row) const { return data_[row * step_]; }

 private:
  const T* data_;
  size_t step_;
};

/// Calls fn.template operator()<T>() with T the C++ type a column of type `id` stores
/// (logical_type.h): one switch at resolve time, typed loops after it.
template <typename Fn>
decltype(auto) VisitPhysicalType(TypeId id, Fn&& fn) {
  switch (id) {
    case TypeId::kInt:
    case TypeId::kDate:
      return fn.template operator()<int32_t>();
    case TypeId::kBigint:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kInterval:
      return fn.template operator()<int64_t>();
    case TypeId::kDouble:
      return fn.template operator()<double>();
    case TypeId::kDecimal:
      return fn.template operator()<int128_t>();
    case TypeId::kVarchar:
      return fn.template operator()<std::string_view>();
    case TypeId::kNull:
    case TypeId::kBoolean:
      break;
  }
  return fn.template operator()<uint8_t>();
}

/// A non-NULL Value as the C++ type its column stores.
template <typename T>
T ValueAs(const Value& v) {
  if constexpr (std::is_same_v<T, std::string_view>) {
    return v.GetString();
  } else if constexpr (std::is_same_v<T, double>) {
    return v.GetDouble();
  } else if constexpr (std::is_same_v<T, int128_t>) {
    return v.GetDecimal();
  } else {
    return static_cast<T>(v.GetInt64());
  }
}

/// Sets `out`'s validity to the AND of the arguments' validity. Returns true when some row is
/// NULL (then `out` has a mask); false leaves `out` without a mask.
inline bool PropagateNulls(const Datum* args, size_t num_args, size_t count, Column* out) {
  bool any = false;
  for (size_t a = 0; a < num_args; ++a) any |= args[a].HasNulls();
  if (!any) return false;
  uint8_t* valid = out->MutableValidity();
  for (size_t a = 0; a < num_args; ++a) {
    const uint8_t* v = args[a].column->validity();
    if (v == nullptr) continue;
    if (args[a].constant) {
      if (v[0] == 0) std::memset(valid, 0, count);
      continue;
    }
    for (size_t i = 0; i < count; ++i) valid[i] &= v[i];
  }
  return true;
}

/// out[i] = fn(a[i]). NULL rows are computed on placeholder values; the mask hides them.
template <typename Out, typename A, typename Fn>
void MapUnary(const Datum& a, size_t count, Out* out, Fn&& fn) {
  const A* av = a.data<A>();
  if (a.constant) {
    std::fill(out, out + count, static_cast<Out>(fn(av[0])));
    return;
  }
  for (size_t i = 0; i < count; ++i) out[i] = fn(av[i]);
}

/// out[i] = fn(a[i], b[i]) with the constant side hoisted out of the loop.
template <typename Out, typename A, typename B, typename Fn>
void MapBinary(const Datum& a, const Datum& b, size_t count, Out* out, Fn&& fn) {
  const A* av = a.data<A>();
  const B* bv = b.data<B>();
  if (a.constant && b.constant) {
    std::fill(out, out + count, static_cast<Out>(fn(av[0], bv[0])));
  } else if (b.constant) {
    const B c = bv[0];
    for (size_t i = 0; i < count; ++i) out[i] = fn(av[i], c);
  } else if (a.constant) {
    const A c = av[0];
    for (size_t i = 0; i < count; ++i) out[i] = fn(c, bv[i]);
  } else {
    for (size_t i = 0; i < count; ++i) out[i] = fn(av[i], bv[i]);
  }
}

/// Calls fn(row) -> Status for each row that `out`'s mask leaves valid.
template <typename Fn>
Status ForEachValidRow(const Column& out, size_t count, Fn&& fn) {
  const uint8_t* valid = out.validity();
  for (size_t i = 0; i < count; ++i) {
    if (valid != nullptr && valid[i] == 0) continue;
    SLUICE_RETURN_IF_ERROR(fn(i));
  }
  return Status::OK();
}

/// Standard shape for "NULL in, NULL out" kernels computed row by row: propagates NULLs, then
/// calls fn(row) -> Status on the valid rows. fn may also mark its row NULL.
template <typename Fn>
Status MapValidRows(const Datum* args, size_t num_args, size_t count, Column* out, Fn&& fn) {
  PropagateNulls(args, num_args, count, out);
  return ForEachValidRow(*out, count, fn);
}

/// Writes VARCHAR results: copies into the output's heap, or shares argument memory (zero-copy
/// views; the caller calls ShareMemoryOf for each argument it points into).
class StringWriter {
 public:
  explicit StringWriter(Column* out) : out_(out) {}
  void Copy(size_t row, std::string_view s) { out_->SetString(row, s); }
  void Share(size_t row, std::string_view s) { out_->data<std::string_view>()[row] = s; }
  void ShareMemoryOf(const Datum& arg) { out_->KeepAlive(arg.column); }
  void Null(size_t row) { out_->SetNull(row, true); }

 private:
  Column* out_;
};

}  // namespace sluice
