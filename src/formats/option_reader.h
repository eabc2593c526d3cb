#pragma once
// OptionReader: typed reads of a table's WITH options. A value that does not parse is a user
// error naming the key and the value; an absent key yields the caller's default.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "exec/plan/table_def.h"

namespace sluice {

class OptionReader {
 public:
  explicit OptionReader(const Options& options) : options_(options) {}

  bool Has(std::string_view key) const;
  std::string String(std::string_view key, std::string_view fallback) const;
  /// Whole number (optional sign), checked against [min, max].
  Result<int64_t> Int(std::string_view key, int64_t fallback, int64_t min = INT64_MIN,
                      int64_t max = INT64_MAX) const;
  Result<double> Double(std::string_view key, double fallback) const;
  /// 'true' / 'false', any case.
  Result<bool> Bool(std::string_view key, bool fallback) const;
  /// Exactly one character; "\t" (backslash t) is accepted for a tab, as Flink does.
  Result<char> Char(std::string_view key, char fallback) const;

 private:
  const std::string* Find(std::string_view key) const;
  Status Bad(std::string_view key, const std::string& value, std::string_view expected) const;

  const Options& options_;
};

}  // namespace sluice
