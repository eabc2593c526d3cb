// LIKE and the REGEXP functions. Constant patterns are compiled once when the evaluator is built;
// computed ones are compiled per distinct pattern. Regular expressions use std::regex (ECMAScript
// syntax, close to Java's for common patterns; a leading "(?i)" is honoured). As in Flink, an
// invalid regular expression gives NULL (FALSE for REGEXP) rather than failing the job; an invalid
// LIKE escape is an error.

#include <regex>

#include "exec/functions/kernel_loops.h"
#include "exec/functions/like_pattern.h"
#include "exec/functions/scalar_function.h"
#include "exec/functions/signature.h"
#include "exec/functions/utf8.h"

namespace sluice {

namespace {

using Reader = ArgReader<std::string_view>;

// --- LIKE ---

std::optional<std::string_view> EscapeArg(const Datum* args, size_t num_args, size_t row) {
  if (num_args < 3) return std::nullopt;
  return Reader(args[2])[row];
}

Status LikeConstant(const KernelContext& ctx, const Datum* args, size_t num_args, size_t count,
                    Column* out) {
  const auto& pattern = *static_cast<const LikePattern*>(ctx.state);
  PropagateNulls(args, num_args, count, out);
  MapUnary<uint8_t, std::string_view>(args[0], count, out->data<uint8_t>(),
                                      [&](std::string_view s) { return pattern.Matches(s); });
  return Status::OK();
}

size_t LikeSelect(const KernelContext& ctx, const Datum* args, const uint32_t* rows, size_t count,
                  uint32_t* out) {
  const auto& pattern = *static_cast<const LikePattern*>(ctx.state);
  const Datum& s = args[0];
  if (s.constant) {
    if (s.IsNull(0) || !pattern.Matches(s.data<std::string_view>()[0])) return 0;
    for (size_t i = 0; i < count; ++i) out[i] = rows ? rows[i] : static_cast<uint32_t>(i);
    return count;
  }
  const std::string_view* d = s.data<std::string_view>();
  const uint8_t* v = s.column->validity();
  size_t n = 0;
  for (size_t i = 0; i < count; ++i) {
    uint32_t r = rows ? rows[i] : static_cast<uint32_t>(i);
    out[n] = r;
    n += (v == nullptr || v[r]) && pattern.Matches(d[r]);
  }
  return n;
}

// Pattern computed per row: recompiled only when it changes.
Status LikeDynamic(const KernelContext&, const Datum* args, size_t num_args, size_t count,
                   Column* out) {
  Reader s(args[0]), pattern(args[1]);
  uint8_t* r = out->data<uint8_t>();
  std::optional<LikePattern> compiled;
  std::string compiled_text, compiled_escape;
  return MapValidRows(args, num_args, count, out, [&](size_t i) {
    std::optional<std::string_view> escape = EscapeArg(args, num_args, i);
    if (!compiled || pattern[i] != compiled_text || escape.value_or("") != compiled_escape) {
      SLUICE_ASSIGN_OR_RETURN(LikePattern p, LikePattern::Compile(pattern[i], escape));
      compiled = std::move(p);
      compiled_text = pattern[i];
      compiled_escape = escape.value_or("");
    }
    r[i] = compiled->Matches(s[i]);
    return Status::OK();
  });
}

Result<ResolvedKernel> ResolveLike(const BoundExpr& call, const ConstantArgs& constants) {
  bool escape_constant = constants.size() < 3 || constants[2].has_value();
  if (!constants[1] || !escape_constant) return ResolvedKernel{LikeDynamic, nullptr, nullptr};
  // A NULL pattern or escape makes every row NULL; the dynamic kernel handles that.
  if (constants[1]->is_null() || (constants.size() == 3 && constants[2]->is_null())) {
    return ResolvedKernel{LikeDynamic, nullptr, nullptr};
  }
  std::optional<std::string_view> escape;
  if (constants.size() == 3) escape = constants[2]->GetString();
  SLUICE_ASSIGN_OR_RETURN(LikePattern pattern,
                          LikePattern::Compile(constants[1]->GetString(), escape));
  return ResolvedKernel{LikeConstant, LikeSelect, std::make_shared<const LikePattern>(pattern)};
}

// --- regular expressions (std::regex adapter: its exceptions stop here) ---

std::optional<std::regex> CompileRegex(std::string_view pattern) {
  auto flags = std::regex::ECMAScript;
  if (pattern.substr(0, 4) == "(?i)") {
    pattern.remove_prefix(4);
    flags |= std::regex::icase;
  }
  try {
    return std::regex(pattern.begin(), pattern.end(), flags);
  } catch (const std::regex_error&) {
    return std::nullopt;
  }
}

// The compiled pattern for a row: the constant one, or the row's (cached while unchanged).
class RegexSource {
 public:
  RegexSource(const KernelContext& ctx, const Datum& pattern)
      : constant_(static_cast<const std::optional<std::regex>*>(ctx.state)), pattern_(pattern) {}

  const std::optional<std::regex>& For(size_t row) {
    if (constant_ != nullptr) return *constant_;
    std::string_view text = pattern_[row];
    if (!cached_ || text != cached_text_) {
      cached_ = CompileRegex(text);
      cached_text_ = text;
    }
    return *cached_;
  }

 private:
  const std::optional<std::regex>* constant_;
  Reader pattern_;
  std::optional<std::optional<std::regex>> cached_;
  std::string cached_text_;
};

// REGEXP(s, pattern): whether some substring matches; an empty pattern matches nothing (Flink).
Status Regexp(const KernelContext& ctx, const Datum* args, size_t, size_t count, Column* out) {
  Reader s(args[0]), pattern(args[1]);
  RegexSource regex(ctx, args[1]);
  uint8_t* r = out->data<uint8_t>();
  return MapValidRows(args, 2, count, out, [&](size_t i) {
    const std::optional<std::regex>& re = regex.For(i);
    std::string_view v = s[i];
    try {
      r[i] = re && !pattern[i].empty() && std::regex_search(v.begin(), v.end(), *re);
    } catch (const std::regex_error&) {
      r[i] = 0;
    }
    return Status::OK();
  });
}

Status RegexpExtract(const KernelContext& ctx, const Datum* args, size_t num_args, size_t count,
                     Column* out) {
  Reader s(args[0]);
  RegexSource regex(ctx, args[1]);
  StringWriter w(out);
  w.ShareMemoryOf(args[0]);
  return MapValidRows(args, num_args, count, out, [&](size_t i) {
    const std::optional<std::regex>& re = regex.For(i);
    int64_t group = num_args > 2 ? ArgReader<int64_t>(args[2])[i] : 0;
    std::string_view v = s[i];
    std::match_results<std::string_view::const_iterator> m;
    bool found = false;
    try {
      found = re && std::regex_search(v.begin(), v.end(), m, *re);
    } catch (const std::regex_error&) {
    }
    if (!found || group < 0 || static_cast<size_t>(group) >= m.size() || !m[group].matched) {
      w.Null(i);
    } else {
      w.Share(i, v.substr(m.position(group), m.length(group)));
    }
    return Status::OK();
  });
}

// Java's replaceAll with a literal replacement; an empty match copies one character and moves on.
void ReplaceAll(std::string_view v, const std::regex& re, std::string_view replacement,
                std::string* out) {
  auto it = v.begin();
  auto flags = std::regex_constants::match_default;
  std::match_results<std::string_view::const_iterator> m;
  while (std::regex_search(it, v.end(), m, re, flags)) {
    out->append(it, m[0].first);
    out->append(replacement);
    it = m[0].second;
    if (m[0].length() == 0) {
      if (it == v.end()) break;
      size_t pos = it - v.begin();
      size_t next = Utf8Next(v, pos);
      out->append(v.substr(pos, next - pos));
      it = v.begin() + next;
    }
    flags |= std::regex_constants::match_prev_avail;
  }
  out->append(it, v.end());
}

// The replacement is literal text, as Flink (Matcher.quoteReplacement).
Status RegexpReplace(const KernelContext& ctx, const Datum* args, size_t, size_t count,
                     Column* out) {
  Reader s(args[0]), replacement(args[2]);
  RegexSource regex(ctx, args[1]);
  StringWriter w(out);
  std::string buf;
  return MapValidRows(args, 3, count, out, [&](size_t i) {
    const std::optional<std::regex>& re = regex.For(i);
    std::string_view v = s[i];
    if (!re) {
      w.Null(i);
      return Status::OK();
    }
    buf.clear();
    try {
      ReplaceAll(v, *re, replacement[i], &buf);
      w.Copy(i, buf);
    } catch (const std::regex_error&) {
      w.Null(i);
    }
    return Status::OK();
  });
}

template <KernelFn kKernel>
Result<ResolvedKernel> ResolveRegex(const BoundExpr&, const ConstantArgs& constants) {
  if (!constants[1] || constants[1]->is_null()) return ResolvedKernel{kKernel, nullptr, nullptr};
  const std::string& text = constants[1]->GetString();
  auto compiled = std::make_shared<std::optional<std::regex>>(CompileRegex(text));
  return ResolvedKernel{kKernel, nullptr, std::move(compiled)};
}

constexpr TypeId kString = TypeId::kVarchar;
constexpr TypeId kBoolean = TypeId::kBoolean;

const ScalarFunction kFunctions[] = {
    {"like", 2, 3, BindSignature<"SSS", kBoolean>, ResolveLike},
    {"regexp", 2, 2, BindSignature<"SS", kBoolean>, ResolveRegex<Regexp>},
    {"regexp_extract", 2, 3, BindSignature<"SSI", kString>, ResolveRegex<RegexpExtract>},
    {"regexp_replace", 3, 3, BindSignature<"SSS", kString>, ResolveRegex<RegexpReplace>},
};

}  // namespace

std::span<const ScalarFunction> PatternFunctions() {
  return kFunctions;
}

}  // namespace sluice
