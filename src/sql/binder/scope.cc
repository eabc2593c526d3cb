#include "sql/binder/scope.h"

#include <strings.h>

#include "common/did_you_mean.h"

namespace sluice::sql {

namespace {
bool SameName(const std::string& a, const std::string& b) {
  return a.size() == b.size() && strcasecmp(a.c_str(), b.c_str()) == 0;
}
}  // namespace

Result<int> Scope::Resolve(const QualifiedName& name) const {
  if (name.parts.empty() || name.parts.size() > 2) {
    return ErrorAt(name.location(), ErrorCode::kUnsupported,
                   "nested column reference '" + name.ToString() + "' is not supported");
  }
  const std::string& column = name.last().name;
  std::string qualifier = name.parts.size() == 2 ? name.parts[0].name : "";
  int found = -1;
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (!SameName(columns_[i].name, column)) continue;
    if (!qualifier.empty() && !SameName(columns_[i].qualifier, qualifier)) continue;
    if (found >= 0) {
      return ErrorAt(name.location(), ErrorCode::kBindError,
                     "column '" + column + "' is ambiguous; qualify it with a table name");
    }
    found = static_cast<int>(i);
  }
  if (found >= 0) return found;
  std::vector<std::string> candidates;
  for (const auto& c : columns_) {
    if (qualifier.empty() || SameName(c.qualifier, qualifier)) candidates.push_back(c.name);
  }
  std::string available;
  for (size_t i = 0; i < candidates.size() && i < 12; ++i) {
    available += (i ? ", " : "") + candidates[i];
  }
  return ErrorAt(name.location(), ErrorCode::kBindError,
                 "unknown column '" + name.ToString() + "'" + DidYouMeanSuffix(column, candidates) +
                     (candidates.empty() ? "" : " (available: " + available + ")"));
}

Result<std::vector<int>> Scope::Expand(const std::string& qualifier,
                                       const SourceLocation& location) const {
  std::vector<int> out;
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (qualifier.empty() || SameName(columns_[i].qualifier, qualifier)) {
      out.push_back(static_cast<int>(i));
    }
  }
  if (out.empty()) {
    return ErrorAt(location, ErrorCode::kBindError, "no table named '" + qualifier + "' in FROM");
  }
  return out;
}

}  // namespace sluice::sql
