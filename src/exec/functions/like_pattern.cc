#include "exec/functions/like_pattern.h"

#include "exec/functions/utf8.h"

namespace sluice {

Result<LikePattern> LikePattern::Compile(std::string_view pattern,
                                         std::optional<std::string_view> escape) {
  if (escape && (escape->empty() ||
                 Utf8SequenceLength(static_cast<unsigned char>((*escape)[0])) != escape->size())) {
    return Status::RuntimeError("invalid escape character '" + std::string(*escape) + "'");
  }
  LikePattern p;
  p.segments_.emplace_back();
  bool any_wildcard = false;
  for (size_t pos = 0; pos < pattern.size();) {
    size_t next = Utf8Next(pattern, pos);
    std::string_view ch = pattern.substr(pos, next - pos);
    Segment& segment = p.segments_.back();
    if (escape && ch == *escape) {
      if (next >= pattern.size()) {
        return Status::RuntimeError("invalid escape sequence '" + std::string(pattern) + "', " +
                                    std::to_string(pos));
      }
      size_t after = Utf8Next(pattern, next);
      std::string_view escaped = pattern.substr(next, after - next);
      if (escaped != "%" && escaped != "_" && escaped != *escape) {
        return Status::RuntimeError("invalid escape sequence '" + std::string(pattern) + "', " +
                                    std::to_string(pos));
      }
      segment.literal.append(escaped);
      segment.any_char.resize(segment.literal.size(), false);
      pos = after;
      continue;
    }
    if (ch == "%") {
      p.segments_.emplace_back();
    } else if (ch == "_") {
      segment.literal.push_back('\0');
      segment.any_char.push_back(true);
      segment.has_wildcard = any_wildcard = true;
    } else {
      segment.literal.append(ch);
      segment.any_char.resize(segment.literal.size(), false);
    }
    pos = next;
  }
  const std::vector<Segment>& s = p.segments_;
  auto simple = [&p](Shape shape, const std::string& literal) {
    p.shape_ = shape;
    p.literal_ = literal;
    p.literal_bytes_ = FixedStringEquals(literal);
    return p;
  };
  if (!any_wildcard) {
    if (s.size() == 1) return simple(Shape::kExact, s[0].literal);
    if (s.size() == 2 && s[1].literal.empty()) return simple(Shape::kPrefix, s[0].literal);
    if (s.size() == 2 && s[0].literal.empty()) return simple(Shape::kSuffix, s[1].literal);
    if (s.size() == 3 && s[0].literal.empty() && s[2].literal.empty()) {
      return simple(Shape::kContains, s[1].literal);
    }
  }
  p.shape_ = Shape::kGeneral;
  return p;
}

size_t LikePattern::MatchAt(const Segment& segment, std::string_view s, size_t pos) {
  for (size_t k = 0; k < segment.literal.size(); ++k) {
    if (pos >= s.size()) return std::string_view::npos;
    if (segment.any_char[k]) {
      pos = Utf8Next(s, pos);
    } else if (s[pos] != segment.literal[k]) {
      return std::string_view::npos;
    } else {
      ++pos;
    }
  }
  return pos;
}

size_t LikePattern::Find(const Segment& segment, std::string_view s, size_t pos) {
  if (!segment.has_wildcard) return s.find(segment.literal, pos);
  for (size_t start = pos;; start = Utf8Next(s, start)) {
    if (MatchAt(segment, s, start) != std::string_view::npos) return start;
    if (start >= s.size()) return std::string_view::npos;
  }
}

bool LikePattern::Matches(std::string_view s) const {
  switch (shape_) {
    case Shape::kExact:
      return literal_bytes_(s);
    case Shape::kPrefix:
      return s.size() >= literal_.size() && literal_bytes_.SameBytes(s.data());
    case Shape::kSuffix:
      return s.size() >= literal_.size() &&
             literal_bytes_.SameBytes(s.data() + s.size() - literal_.size());
    case Shape::kContains:
      return s.find(literal_) != std::string_view::npos;
    case Shape::kGeneral:
      break;
  }
  const size_t npos = std::string_view::npos;
  if (segments_.size() == 1) return MatchAt(segments_[0], s, 0) == s.size();
  size_t pos = MatchAt(segments_[0], s, 0);
  if (pos == npos) return false;
  // Middle segments: leftmost matches in order leave the most room for the rest.
  for (size_t k = 1; k + 1 < segments_.size(); ++k) {
    size_t start = Find(segments_[k], s, pos);
    if (start == npos) return false;
    pos = MatchAt(segments_[k], s, start);
  }
  const Segment& last = segments_.back();
  if (!last.has_wildcard) {
    return s.size() >= pos + last.literal.size() &&
           s.substr(s.size() - last.literal.size()) == last.literal;
  }
  for (size_t start = pos;; start = Utf8Next(s, start)) {
    if (MatchAt(last, s, start) == s.size()) return true;
    if (start >= s.size()) return false;
  }
}

}  // namespace sluice
