#pragma once
// FixedStringEquals: `s == target` for one target compared against many strings (status =
// 'completed'). Up to 16 bytes the comparison is two overlapping word loads instead of a memcmp
// call; the length check runs first so a load never reads past a shorter string.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace sluice {

class FixedStringEquals {
 public:
  explicit FixedStringEquals(std::string_view target) : target_(target) {
    size_t n = target_.size();
    if (n >= 8) {
      head_ = Load<uint64_t>(target_.data());
      tail_ = Load<uint64_t>(target_.data() + n - 8);
    } else if (n >= 4) {
      head_ = Load<uint32_t>(target_.data());
      tail_ = Load<uint32_t>(target_.data() + n - 4);
    } else if (n >= 2) {
      head_ = Load<uint16_t>(target_.data());
      tail_ = Load<uint16_t>(target_.data() + n - 2);
    } else if (n == 1) {
      head_ = tail_ = static_cast<unsigned char>(target_[0]);
    }
  }

  bool operator()(std::string_view s) const {
    return s.size() == target_.size() && SameBytes(s.data());
  }

  /// Whether the target.size() bytes at p equal the target.
  bool SameBytes(const char* p) const {
    size_t n = target_.size();
    if (n > 16) return std::memcmp(p, target_.data(), n) == 0;
    if (n >= 8) return Load<uint64_t>(p) == head_ && Load<uint64_t>(p + n - 8) == tail_;
    if (n >= 4) return Load<uint32_t>(p) == head_ && Load<uint32_t>(p + n - 4) == tail_;
    if (n >= 2) return Load<uint16_t>(p) == head_ && Load<uint16_t>(p + n - 2) == tail_;
    return n == 0 || static_cast<unsigned char>(p[0]) == head_;
  }

  size_t size() const { return target_.size(); }

 private:
  template <typename T>
  static uint64_t Load(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
  }

  std::string target_;
  uint64_t head_ = 0;
  uint64_t tail_ = 0;
};

}  // namespace sluice
