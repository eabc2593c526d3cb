#pragma once
// "did you mean ...?" hints for misspelled names (options, functions, tables, columns).

#include <string>
#include <string_view>
#include <vector>

namespace sluice {

/// Case-insensitive Levenshtein distance.
size_t EditDistance(std::string_view a, std::string_view b);

/// The candidate closest to `name` if it is close enough to be a likely typo (distance at most
/// a third of the name's length, at least 1), else "".
std::string ClosestMatch(std::string_view name, const std::vector<std::string>& candidates);

/// ", did you mean 'x'?" or "" — appended to error messages.
std::string DidYouMeanSuffix(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace sluice
