#pragma once
// JSON string literals: the one escaper every JSON writer of the project uses (records, dead
// letters, manifests, signatures, late rows), so that every file escapes text the same way.

#include <string>
#include <string_view>

namespace sluice {

/// Appends `text` as a JSON string literal (quotes included), escaping as Jackson does.
void AppendJsonString(std::string_view text, std::string* out);

}  // namespace sluice
