// String functions with Flink semantics: positions and lengths count characters (UTF-8 code
// points), positions are 1-based, NULL in gives NULL out. Functions that return part of their
// input (substring, trim, left, right, split_index) return views into the input's memory.

#include <cstring>
#include <random>
#include <string>

#include "exec/functions/kernel_loops.h"
#include "exec/functions/md5.h"
#include "exec/functions/scalar_function.h"
#include "exec/functions/signature.h"
#include "exec/functions/type_coercion.h"
#include "exec/functions/utf8.h"

namespace sluice {

namespace {

using Reader = ArgReader<std::string_view>;

// Runs fn(row, writer) on the rows where no argument is NULL.
template <typename Fn>
Status StringRows(const Datum* args, size_t num_args, size_t count, Column* out, Fn&& fn) {
  StringWriter writer(out);
  return MapValidRows(args, num_args, count, out, [&](size_t i) {
    fn(i, writer);
    return Status::OK();
  });
}

// Bytes of the first `chars` characters of s.
std::string_view LeftChars(std::string_view s, int64_t chars) {
  if (chars <= 0) return s.substr(0, 0);
  return s.substr(0, Utf8Offset(s, static_cast<size_t>(chars)));
}

// Byte offset of the character before `end` (end > 0).
size_t PreviousChar(std::string_view s, size_t end) {
  size_t pos = end - 1;
  while (pos > 0 && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) --pos;
  return pos;
}

// --- case ---

template <bool kUpper>
Status ChangeCase(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  Reader s(args[0]);
  std::string buf;
  return StringRows(args, 1, count, out, [&](size_t i, StringWriter& w) {
    std::string_view v = s[i];
    buf.clear();
    for (size_t pos = 0; pos < v.size();) {
      unsigned char c = static_cast<unsigned char>(v[pos]);
      if (c < 0x80) {
        buf.push_back(static_cast<char>(kUpper ? (c >= 'a' && c <= 'z' ? c - 32 : c)
                                               : (c >= 'A' && c <= 'Z' ? c + 32 : c)));
        ++pos;
        continue;
      }
      size_t start = pos;
      uint32_t cp = DecodeUtf8(v, &pos);
      if (pos - start == 1) {
        buf.push_back(static_cast<char>(c));  // not valid UTF-8: keep the byte
      } else {
        AppendUtf8(kUpper ? ToUpperCodePoint(cp) : ToLowerCodePoint(cp), &buf);
      }
    }
    w.Copy(i, buf);
  });
}

bool IsWordChar(uint32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
         cp >= 0x80;
}

// Upper-cases the first character of each alphanumeric word and lower-cases the rest.
Status Initcap(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  Reader s(args[0]);
  std::string buf;
  return StringRows(args, 1, count, out, [&](size_t i, StringWriter& w) {
    std::string_view v = s[i];
    buf.clear();
    bool word_start = true;
    for (size_t pos = 0; pos < v.size();) {
      uint32_t cp = DecodeUtf8(v, &pos);
      bool word = IsWordChar(cp);
      AppendUtf8(word && word_start ? ToUpperCodePoint(cp) : ToLowerCodePoint(cp), &buf);
      word_start = !word;
    }
    w.Copy(i, buf);
  });
}

Status Reverse(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  Reader s(args[0]);
  std::string buf;
  return StringRows(args, 1, count, out, [&](size_t i, StringWriter& w) {
    std::string_view v = s[i];
    buf.clear();
    for (size_t end = v.size(); end > 0;) {
      size_t start = PreviousChar(v, end);
      buf.append(v.substr(start, end - start));
      end = start;
    }
    w.Copy(i, buf);
  });
}

// --- trim ---

enum TrimMode : int { kTrimBoth = 0, kTrimLeading = 1, kTrimTrailing = 2 };

bool InSet(std::string_view set, std::string_view ch) {
  return set.find(ch) != set.npos;
}

std::string_view TrimChars(std::string_view s, std::string_view chars, int mode) {
  size_t begin = 0, end = s.size();
  if (mode != kTrimTrailing) {
    while (begin < end) {
      size_t next = Utf8Next(s, begin);
      if (!InSet(chars, s.substr(begin, next - begin))) break;
      begin = next;
    }
  }
  if (mode != kTrimLeading) {
    while (end > begin) {
      size_t prev = PreviousChar(s, end);
      if (!InSet(chars, s.substr(prev, end - prev))) break;
      end = prev;
    }
  }
  return s.substr(begin, end - begin);
}

Result<ExprPtr> BindTrim(const std::string& name, std::vector<ExprPtr>& args) {
  SLUICE_ASSIGN_OR_RETURN(std::string mode, UnitLiteral(name, args[0]));
  if (mode != "BOTH" && mode != "LEADING" && mode != "TRAILING") {
    return Status::TypeError("TRIM mode must be BOTH, LEADING or TRAILING, got '" + mode + "'");
  }
  for (size_t i = 1; i < 3; ++i) {
    if (args[i]->type.id != TypeId::kVarchar && args[i]->type.id != TypeId::kNull) {
      return CannotApply(name, args);
    }
    args[i] = CastIfNeeded(args[i], LogicalType::Varchar());
  }
  return BoundExpr::Call(name, LogicalType::Varchar(), args);
}

Status Trim(const KernelContext& ctx, const Datum* args, size_t, size_t count, Column* out) {
  int mode = *static_cast<const int*>(ctx.state);
  Reader chars(args[1]), s(args[2]);
  StringWriter(out).ShareMemoryOf(args[2]);
  return StringRows(args + 1, 2, count, out, [&](size_t i, StringWriter& w) {
    w.Share(i, TrimChars(s[i], chars[i], mode));
  });
}

Result<ResolvedKernel> ResolveTrim(const BoundExpr& call, const ConstantArgs&) {
  const std::string& mode = call.children[0]->literal.GetString();
  int m = mode == "LEADING" ? kTrimLeading : mode == "TRAILING" ? kTrimTrailing : kTrimBoth;
  return ResolvedKernel{Trim, nullptr, std::make_shared<const int>(m)};
}

template <int kMode>
Status TrimSpaces(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  Reader s(args[0]);
  StringWriter(out).ShareMemoryOf(args[0]);
  return StringRows(args, 1, count, out,
                    [&](size_t i, StringWriter& w) { w.Share(i, TrimChars(s[i], " ", kMode)); });
}

// --- concatenation ---

Status Concat(const KernelContext&, const Datum* args, size_t num_args, size_t count, Column* out) {
  std::string buf;
  return StringRows(args, num_args, count, out, [&](size_t i, StringWriter& w) {
    buf.clear();
    for (size_t a = 0; a < num_args; ++a) buf.append(Reader(args[a])[i]);
    w.Copy(i, buf);
  });
}

// CONCAT_WS skips NULL arguments; only a NULL separator makes the result NULL.
Status ConcatWs(const KernelContext&, const Datum* args, size_t num_args, size_t count,
                Column* out) {
  std::string buf;
  Reader separator(args[0]);
  return StringRows(args, 1, count, out, [&](size_t i, StringWriter& w) {
    buf.clear();
    bool first = true;
    for (size_t a = 1; a < num_args; ++a) {
      if (args[a].IsNull(i)) continue;
      if (!first) buf.append(separator[i]);
      buf.append(Reader(args[a])[i]);
      first = false;
    }
    w.Copy(i, buf);
  });
}

Result<ExprPtr> BindConcatOperator(const std::string&, std::vector<ExprPtr>& args) {
  return BindSignature<"S", TypeId::kVarchar>("concat", args);
}

// --- substrings ---

// SUBSTRING(s, start[, length]) as Flink: 1-based, a negative start counts from the end, a
// negative length is NULL.
Status Substring(const KernelContext&, const Datum* args, size_t num_args, size_t count,
                 Column* out) {
  Reader s(args[0]);
  ArgReader<int64_t> start(args[1]);
  StringWriter(out).ShareMemoryOf(args[0]);
  return StringRows(args, num_args, count, out, [&](size_t i, StringWriter& w) {
    std::string_view v = s[i];
    int64_t length = num_args > 2 ? ArgReader<int64_t>(args[2])[i] : INT64_MAX;
    if (length < 0) return w.Null(i);
    int64_t pos = start[i];
    int64_t first;
    if (pos > 0) {
      first = pos - 1;
    } else if (pos < 0) {
      first = static_cast<int64_t>(Utf8Length(v)) + pos;
      if (first < 0) return w.Share(i, v.substr(0, 0));
    } else {
      first = 0;
    }
    size_t begin = Utf8Offset(v, static_cast<size_t>(first));
    std::string_view rest = v.substr(begin);
    w.Share(i, LeftChars(rest, length));
  });
}

template <bool kLeft>
Status LeftRight(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  Reader s(args[0]);
  ArgReader<int64_t> n(args[1]);
  StringWriter(out).ShareMemoryOf(args[0]);
  return StringRows(args, 2, count, out, [&](size_t i, StringWriter& w) {
    std::string_view v = s[i];
    if (kLeft) return w.Share(i, LeftChars(v, n[i]));
    if (n[i] <= 0) return w.Share(i, v.substr(0, 0));
    int64_t length = static_cast<int64_t>(Utf8Length(v));
    int64_t skip = length > n[i] ? length - n[i] : 0;
    w.Share(i, v.substr(Utf8Offset(v, static_cast<size_t>(skip))));
  });
}

// SPLIT_INDEX(s, delimiter, i): the i-th (0-based) field, NULL when out of range.
Status SplitIndex(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  Reader s(args[0]), delimiter(args[1]);
  ArgReader<int64_t> index(args[2]);
  StringWriter(out).ShareMemoryOf(args[0]);
  return StringRows(args, 3, count, out, [&](size_t i, StringWriter& w) {
    std::string_view v = s[i];
    std::string_view sep = delimiter[i].empty() ? std::string_view(" ") : delimiter[i];
    int64_t want = index[i];
    if (want < 0 || v.empty()) return w.Null(i);
    size_t begin = 0;
    for (int64_t field = 0;; ++field) {
      size_t end = v.find(sep, begin);
      if (field == want) {
        return w.Share(i, v.substr(begin, end == v.npos ? v.npos : end - begin));
      }
      if (end == v.npos) return w.Null(i);
      begin = end + sep.size();
    }
  });
}

// --- search and replace ---

// 1-based character index of needle in s at or after character `from` (0-based), 0 if absent.
int32_t FindChars(std::string_view s, std::string_view needle, size_t from) {
  size_t begin = Utf8Offset(s, from);
  if (begin > s.size()) return 0;
  size_t at = s.find(needle, begin);
  if (at == s.npos) return 0;
  return static_cast<int32_t>(Utf8Length(s.substr(0, at)) + 1);
}

Status Position(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  Reader needle(args[0]), s(args[1]);
  int32_t* r = out->data<int32_t>();
  return MapValidRows(args, 2, count, out, [&](size_t i) {
    r[i] = FindChars(s[i], needle[i], 0);
    return Status::OK();
  });
}

Status Locate(const KernelContext&, const Datum* args, size_t num_args, size_t count, Column* out) {
  Reader needle(args[0]), s(args[1]);
  int32_t* r = out->data<int32_t>();
  return MapValidRows(args, num_args, count, out, [&](size_t i) {
    int64_t from = num_args > 2 ? ArgReader<int64_t>(args[2])[i] : 1;
    r[i] = from < 1 ? 0 : FindChars(s[i], needle[i], static_cast<size_t>(from - 1));
    return Status::OK();
  });
}

Status CharLength(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  Reader s(args[0]);
  int32_t* r = out->data<int32_t>();
  PropagateNulls(args, 1, count, out);
  for (size_t i = 0; i < count; ++i) r[i] = static_cast<int32_t>(Utf8Length(s[i]));
  return Status::OK();
}

// Java's String.replace: every occurrence; an empty target inserts around every character.
Status Replace(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  Reader s(args[0]), from(args[1]), to(args[2]);
  std::string buf;
  return StringRows(args, 3, count, out, [&](size_t i, StringWriter& w) {
    std::string_view v = s[i], target = from[i], replacement = to[i];
    buf.clear();
    if (target.empty()) {
      for (size_t pos = 0; pos < v.size();) {
        size_t next = Utf8Next(v, pos);
        buf.append(replacement);
        buf.append(v.substr(pos, next - pos));
        pos = next;
      }
      buf.append(replacement);
      return w.Copy(i, buf);
    }
    size_t pos = 0;
    for (size_t at; (at = v.find(target, pos)) != v.npos; pos = at + target.size()) {
      buf.append(v.substr(pos, at - pos));
      buf.append(replacement);
    }
    buf.append(v.substr(pos));
    w.Copy(i, buf);
  });
}

// --- padding and repetition ---

// LPAD/RPAD as Flink: NULL for a negative length or an empty pad; longer input is cut to `length`.
template <bool kLeft>
Status Pad(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  Reader s(args[0]), pad(args[2]);
  ArgReader<int64_t> length(args[1]);
  std::string buf;
  return StringRows(args, 3, count, out, [&](size_t i, StringWriter& w) {
    int64_t want = length[i];
    std::string_view v = s[i], p = pad[i];
    if (want < 0 || p.empty()) return w.Null(i);
    int64_t have = static_cast<int64_t>(Utf8Length(v));
    if (have >= want) return w.Copy(i, LeftChars(v, want));
    buf.clear();
    if (!kLeft) buf.append(v);
    int64_t missing = want - have;
    int64_t pad_chars = static_cast<int64_t>(Utf8Length(p));
    for (; missing >= pad_chars; missing -= pad_chars) buf.append(p);
    buf.append(LeftChars(p, missing));
    if (kLeft) buf.append(v);
    w.Copy(i, buf);
  });
}

Status Repeat(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  Reader s(args[0]);
  ArgReader<int64_t> times(args[1]);
  std::string buf;
  return StringRows(args, 2, count, out, [&](size_t i, StringWriter& w) {
    buf.clear();
    for (int64_t k = 0; k < times[i]; ++k) buf.append(s[i]);
    w.Copy(i, buf);
  });
}

// --- digests and encodings ---

Status Md5(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  Reader s(args[0]);
  return StringRows(args, 1, count, out,
                    [&](size_t i, StringWriter& w) { w.Copy(i, Md5Hex(s[i])); });
}

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Status ToBase64(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  Reader s(args[0]);
  std::string buf;
  return StringRows(args, 1, count, out, [&](size_t i, StringWriter& w) {
    std::string_view v = s[i];
    buf.clear();
    for (size_t k = 0; k < v.size(); k += 3) {
      uint32_t chunk = static_cast<unsigned char>(v[k]) << 16;
      if (k + 1 < v.size()) chunk |= static_cast<unsigned char>(v[k + 1]) << 8;
      if (k + 2 < v.size()) chunk |= static_cast<unsigned char>(v[k + 2]);
      buf.push_back(kBase64[(chunk >> 18) & 63]);
      buf.push_back(kBase64[(chunk >> 12) & 63]);
      buf.push_back(k + 1 < v.size() ? kBase64[(chunk >> 6) & 63] : '=');
      buf.push_back(k + 2 < v.size() ? kBase64[chunk & 63] : '=');
    }
    w.Copy(i, buf);
  });
}

int Base64Digit(char c) {
  const char* p = c ? std::strchr(kBase64, c) : nullptr;
  return p ? static_cast<int>(p - kBase64) : -1;
}

Status FromBase64(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  Reader s(args[0]);
  StringWriter w(out);
  std::string buf;
  return MapValidRows(args, 1, count, out, [&](size_t i) {
    std::string_view v = s[i];
    while (!v.empty() && v.back() == '=') v.remove_suffix(1);
    buf.clear();
    uint32_t acc = 0;
    int bits = 0;
    for (char c : v) {
      int d = Base64Digit(c);
      if (d < 0)
        return Status::RuntimeError("from_base64: invalid input '" + std::string(s[i]) + "'");
      acc = (acc << 6) | static_cast<uint32_t>(d);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        buf.push_back(static_cast<char>((acc >> bits) & 0xFF));
      }
    }
    w.Copy(i, buf);
    return Status::OK();
  });
}

// --- UUID (random, version 4) ---

struct UuidState {
  mutable std::mt19937_64 random{std::random_device{}()};
};

Status Uuid(const KernelContext& ctx, const Datum*, size_t, size_t count, Column* out) {
  auto& random = static_cast<const UuidState*>(ctx.state)->random;
  static const char kHex[] = "0123456789abcdef";
  char text[36];
  for (size_t i = 0; i < count; ++i) {
    uint64_t hi = random(), lo = random();
    hi = (hi & ~uint64_t{0xF000}) | 0x4000;                  // version 4
    lo = (lo & ~(uint64_t{3} << 62)) | (uint64_t{2} << 62);  // IETF variant
    int k = 0;
    for (int nibble = 0; nibble < 32; ++nibble) {
      if (nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20) text[k++] = '-';
      uint64_t word = nibble < 16 ? hi : lo;
      text[k++] = kHex[(word >> (60 - 4 * (nibble % 16))) & 0xF];
    }
    out->SetString(i, std::string_view(text, 36));
  }
  return Status::OK();
}

Result<ResolvedKernel> ResolveUuid(const BoundExpr&, const ConstantArgs&) {
  return ResolvedKernel{Uuid, nullptr, std::make_shared<const UuidState>()};
}

constexpr TypeId kString = TypeId::kVarchar;
constexpr TypeId kInt = TypeId::kInt;

const ScalarFunction kFunctions[] = {
    {"upper", 1, 1, BindSignature<"S", kString>, FixedKernel<ChangeCase<true>>},
    {"lower", 1, 1, BindSignature<"S", kString>, FixedKernel<ChangeCase<false>>},
    {"initcap", 1, 1, BindSignature<"S", kString>, FixedKernel<Initcap>},
    {"reverse", 1, 1, BindSignature<"S", kString>, FixedKernel<Reverse>},
    {"trim", 3, 3, BindTrim, ResolveTrim},
    {"ltrim", 1, 1, BindSignature<"S", kString>, FixedKernel<TrimSpaces<kTrimLeading>>},
    {"rtrim", 1, 1, BindSignature<"S", kString>, FixedKernel<TrimSpaces<kTrimTrailing>>},
    {"concat", 1, -1, BindSignature<"S", kString>, FixedKernel<Concat>},
    {"||", 2, 2, BindConcatOperator, FixedKernel<Concat>},
    {"concat_ws", 2, -1, BindSignature<"S", kString>, FixedKernel<ConcatWs>},
    {"substring", 2, 3, BindSignature<"SII", kString>, FixedKernel<Substring>},
    {"substr", 2, 3, BindSignature<"SII", kString>, FixedKernel<Substring>},
    {"left", 2, 2, BindSignature<"SI", kString>, FixedKernel<LeftRight<true>>},
    {"right", 2, 2, BindSignature<"SI", kString>, FixedKernel<LeftRight<false>>},
    {"split_index", 3, 3, BindSignature<"SSI", kString>, FixedKernel<SplitIndex>},
    {"char_length", 1, 1, BindSignature<"S", kInt>, FixedKernel<CharLength>},
    {"character_length", 1, 1, BindSignature<"S", kInt>, FixedKernel<CharLength>},
    {"position", 2, 2, BindSignature<"SS", kInt>, FixedKernel<Position>},
    {"locate", 2, 3, BindSignature<"SSI", kInt>, FixedKernel<Locate>},
    {"replace", 3, 3, BindSignature<"SSS", kString>, FixedKernel<Replace>},
    {"lpad", 3, 3, BindSignature<"SIS", kString>, FixedKernel<Pad<true>>},
    {"rpad", 3, 3, BindSignature<"SIS", kString>, FixedKernel<Pad<false>>},
    {"repeat", 2, 2, BindSignature<"SI", kString>, FixedKernel<Repeat>},
    {"md5", 1, 1, BindSignature<"S", kString>, FixedKernel<Md5>},
    {"to_base64", 1, 1, BindSignature<"S", kString>, FixedKernel<ToBase64>},
    {"from_base64", 1, 1, BindSignature<"S", kString>, FixedKernel<FromBase64>},
    {"uuid", 0, 0, BindSignature<"", kString>, ResolveUuid, /*deterministic=*/false,
     /*per_row=*/true},
};

}  // namespace

std::span<const ScalarFunction> StringFunctions() {
  return kFunctions;
}

}  // namespace sluice
