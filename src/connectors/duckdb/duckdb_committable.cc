#include "connectors/duckdb/duckdb_committable.h"

#include <charconv>

namespace sluice {

namespace {

void AppendJsonString(std::string_view text, std::string* out) {
  *out += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') *out += '\\';
    *out += c;
  }
  *out += '"';
}

// Reads the flat objects EncodeDuckDbCommittable writes: string and integer members only.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}
  bool Consume(char c) {
    SkipSpace();
    if (pos_ >= text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  bool String(std::string* out) {
    if (!Consume('"')) return false;
    out->clear();
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\' && ++pos_ >= text_.size()) return false;
      *out += text_[pos_++];
    }
    return Consume('"');
  }
  bool Int(int64_t* out) {
    SkipSpace();
    auto [end, ec] = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), *out);
    if (ec != std::errc()) return false;
    pos_ = end - text_.data();
    return true;
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ == text_.size();
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n')) ++pos_;
  }
  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::string EncodeDuckDbCommittable(const DuckDbCommittable& c) {
  std::string out = "{\"sink\":";
  AppendJsonString(c.sink, &out);
  out += ",\"writer\":" + std::to_string(c.writer) + ",\"from\":" + std::to_string(c.from) +
         ",\"to\":" + std::to_string(c.to) + ",\"rows\":" + std::to_string(c.rows) + "}";
  return out;
}

Result<DuckDbCommittable> DecodeDuckDbCommittable(std::string_view data) {
  auto bad = [&] {
    return Status::Internal("not a DuckDB sink committable: '" + std::string(data) + "'");
  };
  DuckDbCommittable c;
  Scanner in(data);
  if (!in.Consume('{')) return bad();
  bool have_sink = false, have_to = false;
  for (bool first = true; !in.Consume('}'); first = false) {
    std::string key;
    if ((!first && !in.Consume(',')) || !in.String(&key) || !in.Consume(':')) return bad();
    if (key == "sink") {
      if (!in.String(&c.sink)) return bad();
      have_sink = true;
      continue;
    }
    int64_t value = 0;
    if (!in.Int(&value)) return bad();
    if (key == "writer") {
      c.writer = static_cast<int>(value);
    } else if (key == "from") {
      c.from = value;
    } else if (key == "to") {
      c.to = value;
      have_to = true;
    } else if (key == "rows") {
      c.rows = value;
    }  // integer members added later are skipped
  }
  if (!in.AtEnd() || !have_sink || !have_to) return bad();
  return c;
}

}  // namespace sluice
