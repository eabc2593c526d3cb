#include "connectors/kafka/kafka_source_position.h"

#include <cctype>
#include <charconv>

namespace sluice {

namespace {

// A reader of the flat JSON objects EncodeKafkaPosition() writes: string keys, values that are
// integers, booleans, null or strings (skipped). Nothing nested: positions never need it.
class FlatJson {
 public:
  explicit FlatJson(std::string_view text) : text_(text) {}

  Status Parse(KafkaPartitionPosition* out) {
    if (!Take('{')) return Error("expected '{'");
    if (Take('}')) return AtEnd();
    while (true) {
      std::string key;
      if (!String(&key)) return Error("expected a key");
      if (!Take(':')) return Error("expected ':'");
      SkipSpace();
      if (key == "next" || key == "bound") {
        int64_t value = 0;
        if (!Integer(&value) || value < 0) return Error("'" + key + "' must be an offset");
        (key == "next" ? out->next : out->bound) = value;
      } else if (key == "ended") {
        if (!Boolean(&out->ended)) return Error("'ended' must be true or false");
      } else if (!SkipValue()) {
        return Error("bad value of '" + key + "'");
      }
      if (Take(',')) continue;
      if (Take('}')) return AtEnd();
      return Error("expected ',' or '}'");
    }
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool Take(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool Word(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  bool String(std::string* out) {
    if (!Take('"')) return false;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
      out->push_back(text_[pos_++]);
    }
    return Take('"');
  }
  bool Integer(int64_t* out) {
    const char* begin = text_.data() + pos_;
    const char* end = text_.data() + text_.size();
    auto [ptr, ec] = std::from_chars(begin, end, *out);
    if (ec != std::errc() || ptr == begin) return false;
    pos_ += static_cast<size_t>(ptr - begin);
    return true;
  }
  bool Boolean(bool* out) {
    if (Word("true")) return *out = true, true;
    if (Word("false")) return *out = false, true;
    return false;
  }
  bool SkipValue() {
    std::string ignored;
    int64_t number;
    bool flag;
    if (pos_ < text_.size() && text_[pos_] == '"') return String(&ignored);
    return Word("null") || Boolean(&flag) || Integer(&number);
  }
  Status AtEnd() {
    SkipSpace();
    return pos_ == text_.size() ? Status::OK() : Error("text after '}'");
  }
  Status Error(const std::string& what) const {
    return Status::InvalidArgument(what + " at character " + std::to_string(pos_));
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::string KafkaStreamName(std::string_view topic, int32_t partition) {
  return std::string(topic) + "/" + std::to_string(partition);
}

std::string EncodeKafkaPosition(const KafkaPartitionPosition& position) {
  std::string out = "{";
  if (position.next >= 0) out += "\"next\":" + std::to_string(position.next);
  if (position.bound >= 0) {
    out += std::string(out.size() > 1 ? "," : "") + "\"bound\":" + std::to_string(position.bound);
  }
  if (position.ended) out += std::string(out.size() > 1 ? "," : "") + "\"ended\":true";
  return out + "}";
}

Result<std::pair<KafkaTopicPartition, KafkaPartitionPosition>> DecodeKafkaPosition(
    const StreamPosition& position) {
  const std::string& stream = position.stream;
  auto fail = [&](const std::string& why) {
    return Status::InvalidArgument("kafka: checkpointed position of stream '" + stream +
                                   "' is not usable: " + why);
  };
  const size_t slash = stream.rfind('/');
  int32_t partition = -1;
  if (slash == std::string::npos || slash == 0) return fail("expected '<topic>/<partition>'");
  auto [ptr, ec] =
      std::from_chars(stream.data() + slash + 1, stream.data() + stream.size(), partition);
  if (ec != std::errc() || ptr != stream.data() + stream.size() || partition < 0) {
    return fail("expected '<topic>/<partition>'");
  }
  KafkaPartitionPosition out;
  Status parsed = FlatJson(position.state).Parse(&out);
  if (!parsed.ok()) return fail("state '" + position.state + "': " + parsed.message());
  if (out.ended && out.bound < 0)
    return fail("state '" + position.state + "' ended without a bound");
  return std::make_pair(KafkaTopicPartition{stream.substr(0, slash), partition}, out);
}

}  // namespace sluice
