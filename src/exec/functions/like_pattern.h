#pragma once
// LikePattern: a SQL LIKE pattern compiled once. '%' matches any sequence, '_' one character
// (UTF-8 code point), the optional escape character makes the next '%', '_' or itself literal.
// Common shapes (exact, 'abc%', '%abc', '%abc%') match with one comparison or search.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "exec/functions/string_equality.h"

namespace sluice {

class LikePattern {
 public:
  /// RuntimeError for an escape character that is not one character or ends the pattern.
  static Result<LikePattern> Compile(std::string_view pattern,
                                     std::optional<std::string_view> escape = std::nullopt);

  bool Matches(std::string_view s) const;

 private:
  enum class Shape : uint8_t { kExact, kPrefix, kSuffix, kContains, kGeneral };
  // The part of the pattern between two '%'s.
  struct Segment {
    std::string literal;         // bytes to match; a '_' is a placeholder byte
    std::vector<bool> any_char;  // per byte of `literal`: a '_' (matches one character)
    bool has_wildcard = false;
  };

  // End of the match of `segment` at byte `pos`, or npos.
  static size_t MatchAt(const Segment& segment, std::string_view s, size_t pos);
  // Leftmost match start of `segment` at or after `pos`, or npos.
  static size_t Find(const Segment& segment, std::string_view s, size_t pos);

  Shape shape_ = Shape::kExact;
  std::string literal_;                  // for the simple shapes
  FixedStringEquals literal_bytes_{""};  // the same, compared by word loads
  std::vector<Segment> segments_;  // for kGeneral: the first is anchored at the start, the last
                                   // at the end (one segment: the whole string)
};

}  // namespace sluice
