#include "common/did_you_mean.h"

#include <algorithm>
#include <cctype>

namespace sluice {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                  std::tolower(static_cast<unsigned char>(b[j - 1]));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string ClosestMatch(std::string_view name, const std::vector<std::string>& candidates) {
  size_t best = std::string::npos;
  std::string match;
  for (const auto& c : candidates) {
    size_t d = EditDistance(name, c);
    if (d < best) {
      best = d;
      match = c;
    }
  }
  size_t limit = std::max<size_t>(1, std::max(name.size(), match.size()) / 3);
  return best <= limit ? match : "";
}

std::string DidYouMeanSuffix(std::string_view name, const std::vector<std::string>& candidates) {
  std::string match = ClosestMatch(name, candidates);
  return match.empty() ? "" : ", did you mean '" + match + "'?";
}

}  // namespace sluice
