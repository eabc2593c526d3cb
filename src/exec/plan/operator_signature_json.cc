#include "exec/plan/operator_signature_json.h"

#include <cstdint>
#include <cstdio>

#include "common/json_string.h"
#include "exec/functions/utf8.h"

namespace sluice {

namespace {

void AppendPart(const SignaturePart& part, std::string* out) {
  out->push_back('{');
  bool first = true;
  for (const auto& [name, field] : part) {
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(name, out);
    out->push_back(':');
    if (!field.is_list) {
      AppendJsonString(field.values.empty() ? "" : field.values[0], out);
      continue;
    }
    out->push_back('[');
    for (size_t i = 0; i < field.values.size(); ++i) {
      if (i) out->push_back(',');
      AppendJsonString(field.values[i], out);
    }
    out->push_back(']');
  }
  out->push_back('}');
}

// Reads the one JSON shape of a signature; errors name the byte offset.
class SignatureReader {
 public:
  explicit SignatureReader(std::string_view text) : text_(text) {}

  Result<OperatorSignature> Read() {
    OperatorSignature sig;
    bool seen_version = false, seen_kind = false;
    SLUICE_RETURN_IF_ERROR(ReadObject([&](const std::string& key) -> Status {
      if (key == "sig_version") {
        seen_version = true;
        return ReadInt(&sig.sig_version);
      }
      if (key == "kind") {
        seen_kind = true;
        return ReadString(&sig.kind);
      }
      if (key == "ordinal") return ReadInt(&sig.ordinal);
      if (key == "state_schema") return ReadPart(&sig.state_schema);
      if (key == "semantics") return ReadPart(&sig.semantics);
      if (key == "lineage") return ReadPart(&sig.lineage);
      return Error("unknown member '" + key + "'");
    }));
    SkipSpace();
    if (pos_ != text_.size()) return Error("text after the signature");
    if (!seen_version || !seen_kind) return Error("'sig_version' and 'kind' are required");
    return sig;
  }

 private:
  template <typename OnMember>
  Status ReadObject(OnMember on_member) {
    SLUICE_RETURN_IF_ERROR(Expect('{'));
    if (Peek() == '}') return Expect('}');
    while (true) {
      std::string key;
      SLUICE_RETURN_IF_ERROR(ReadString(&key));
      SLUICE_RETURN_IF_ERROR(Expect(':'));
      SLUICE_RETURN_IF_ERROR(on_member(key));
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      return Expect('}');
    }
  }

  Status ReadPart(SignaturePart* part) {
    part->clear();
    return ReadObject([&](const std::string& key) -> Status {
      SignatureField field;
      if (Peek() == '[') {
        field.is_list = true;
        ++pos_;
        if (Peek() == ']') {
          ++pos_;
        } else {
          while (true) {
            SLUICE_RETURN_IF_ERROR(ReadString(&field.values.emplace_back()));
            if (Peek() == ',') {
              ++pos_;
              continue;
            }
            SLUICE_RETURN_IF_ERROR(Expect(']'));
            break;
          }
        }
      } else {
        SLUICE_RETURN_IF_ERROR(ReadString(&field.values.emplace_back()));
      }
      (*part)[key] = std::move(field);
      return Status::OK();
    });
  }

  Status ReadInt(int* out) {
    SkipSpace();
    const bool negative = pos_ < text_.size() && text_[pos_] == '-';
    if (negative) ++pos_;
    const size_t digits = pos_;
    int64_t value = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      value = value * 10 + (text_[pos_++] - '0');
      if (value > (int64_t{1} << 31)) return Error("number out of range");
    }
    if (pos_ == digits) return Error("number expected");
    value = negative ? -value : value;
    if (value > INT32_MAX) return Error("number out of range");
    *out = static_cast<int>(value);
    return Status::OK();
  }

  Status ReadString(std::string* out) {
    SLUICE_RETURN_IF_ERROR(Expect('"'));
    out->clear();
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '"') return Status::OK();
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) break;
      char e = text_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out->push_back(e);
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          uint32_t cp = 0;
          SLUICE_RETURN_IF_ERROR(ReadHex4(&cp));
          if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair: "\ud83d\ude00"
            uint32_t low = 0;
            if (text_.substr(pos_, 2) != "\\u") return Error("lone surrogate");
            pos_ += 2;
            SLUICE_RETURN_IF_ERROR(ReadHex4(&low));
            if (low < 0xDC00 || low > 0xDFFF) return Error("bad surrogate pair");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          return Error("bad escape");
      }
    }
    return Error("unterminated string");
  }

  Status ReadHex4(uint32_t* out) {
    if (pos_ + 4 > text_.size()) return Error("bad \\u escape");
    *out = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_++];
      int digit = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
      if (digit < 0) return Error("bad \\u escape");
      *out = *out * 16 + digit;
    }
    return Status::OK();
  }

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }
  char Peek() {
    SkipSpace();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }
  Status Expect(char c) {
    if (Peek() != c) return Error(std::string("'") + c + "' expected");
    ++pos_;
    return Status::OK();
  }
  Status Error(const std::string& what) const {
    return Status::DecodeError("operator signature JSON, offset " + std::to_string(pos_) + ": " +
                               what);
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::string CanonicalJson(const OperatorSignature& sig) {
  std::string out = "{\"sig_version\":" + std::to_string(sig.sig_version) + ",\"kind\":";
  AppendJsonString(sig.kind, &out);
  out += ",\"state_schema\":";
  AppendPart(sig.state_schema, &out);
  out += ",\"semantics\":";
  AppendPart(sig.semantics, &out);
  out += ",\"lineage\":";
  AppendPart(sig.lineage, &out);
  out += ",\"ordinal\":" + std::to_string(sig.ordinal) + "}";
  return out;
}

Result<OperatorSignature> SignatureFromJson(std::string_view json) {
  return SignatureReader(json).Read();
}

}  // namespace sluice
