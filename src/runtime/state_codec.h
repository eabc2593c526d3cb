#pragma once
// StateEncoder / StateDecoder: the byte layout every operator and connector uses for its state
// sections — little-endian fixed-width integers, length-prefixed bytes, and flat vectors of
// trivially copyable values written as they are (one memcpy, so a GB of hash-table arrays is
// copied at memory speed on the task thread, docs/design/checkpoints.md §4.1).
//
// The decoder never trusts its input: every read checks the remaining length and fails with a
// DecodeError naming what was being read ("window state: vector 'slice_ends'") instead of reading
// past the end. Finish() insists that nothing is left over, so a layout mismatch between the
// writer and the reader is an error, not silently misread state.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/status.h"

namespace sluice {

class StateEncoder {
 public:
  void U8(uint8_t v) { Raw(&v, 1); }
  void Bool(bool v) { U8(v ? 1 : 0); }
  void U32(uint32_t v) { Raw(&v, 4); }
  void I32(int32_t v) { Raw(&v, 4); }
  void U64(uint64_t v) { Raw(&v, 8); }
  void I64(int64_t v) { Raw(&v, 8); }
  void F64(double v) { Raw(&v, 8); }
  /// u64 length, then the bytes.
  void Bytes(std::string_view bytes) {
    U64(bytes.size());
    out_.append(bytes.data(), bytes.size());
  }
  /// u64 count, then the elements' bytes as they are in memory.
  template <typename T>
  void Pod(const std::vector<T>& values) {
    static_assert(std::is_trivially_copyable_v<T>);
    PodSpan(values.data(), values.size());
  }
  template <typename T>
  void PodSpan(const T* values, size_t count) {
    static_assert(std::is_trivially_copyable_v<T>);
    U64(count);
    Raw(values, count * sizeof(T));
  }
  void Raw(const void* data, size_t size) { out_.append(static_cast<const char*>(data), size); }

  size_t size() const { return out_.size(); }
  void Reserve(size_t bytes) { out_.reserve(bytes); }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class StateDecoder {
 public:
  /// `what` names the state in errors ("GroupAggregate state").
  StateDecoder(std::string_view data, std::string what) : data_(data), what_(std::move(what)) {}

  Status U8(uint8_t* v) { return Raw(v, 1, "u8"); }
  Status Bool(bool* v) {
    uint8_t b = 0;
    SLUICE_RETURN_IF_ERROR(U8(&b));
    if (b > 1) return Corrupt("bool");
    *v = b == 1;
    return Status::OK();
  }
  Status U32(uint32_t* v) { return Raw(v, 4, "u32"); }
  Status I32(int32_t* v) { return Raw(v, 4, "i32"); }
  Status U64(uint64_t* v) { return Raw(v, 8, "u64"); }
  Status I64(int64_t* v) { return Raw(v, 8, "i64"); }
  Status F64(double* v) { return Raw(v, 8, "f64"); }
  /// A view into the decoder's input (valid as long as the input is).
  Status Bytes(std::string_view* bytes) {
    uint64_t size = 0;
    SLUICE_RETURN_IF_ERROR(U64(&size));
    if (size > remaining()) return Corrupt("bytes");
    *bytes = data_.substr(offset_, size);
    offset_ += size;
    return Status::OK();
  }
  Status String(std::string* out) {
    std::string_view view;
    SLUICE_RETURN_IF_ERROR(Bytes(&view));
    out->assign(view);
    return Status::OK();
  }
  template <typename T>
  Status Pod(std::vector<T>* values) {
    static_assert(std::is_trivially_copyable_v<T>);
    uint64_t count = 0;
    SLUICE_RETURN_IF_ERROR(U64(&count));
    if (count > remaining() / (sizeof(T) == 0 ? 1 : sizeof(T))) return Corrupt("vector");
    values->resize(count);
    return Raw(values->data(), count * sizeof(T), "vector");
  }
  Status Raw(void* out, size_t size, const char* kind) {
    if (size > remaining()) return Corrupt(kind);
    if (size > 0) std::memcpy(out, data_.data() + offset_, size);
    offset_ += size;
    return Status::OK();
  }
  /// Error unless every byte was read.
  Status Finish() const {
    if (remaining() == 0) return Status::OK();
    return Status::DecodeError(what_ + ": " + std::to_string(remaining()) +
                               " unexpected bytes at the end (state written by another layout)");
  }

  size_t remaining() const { return data_.size() - offset_; }
  const std::string& what() const { return what_; }
  Status Corrupt(const char* kind) const {
    return Status::DecodeError(what_ + ": truncated or corrupt state reading a " + kind +
                               " at byte " + std::to_string(offset_) + " of " +
                               std::to_string(data_.size()));
  }

 private:
  std::string_view data_;
  size_t offset_ = 0;
  std::string what_;
};

}  // namespace sluice
