#include "sql/parser/keywords.h"

#include <algorithm>
#include <iterator>

namespace sluice::sql {
namespace {

char UpperAscii(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// Sorted, upper case. Kept small on purpose: a word here breaks every user who named a column
// after it, so only words that end or join clauses (and the literals/operators) are listed.
constexpr std::string_view kReservedWords[] = {
    "ALL",       "AND",      "AS",
    "BETWEEN",   "BY",       "CASE",
    "CAST",      "CREATE",   "CROSS",
    "DISTINCT",  "ELSE",     "END",
    "EXCEPT",    "EXISTS",   "FALSE",
    "FETCH",     "FOR",      "FROM",
    "FULL",      "GROUP",    "HAVING",
    "IN",        "INNER",    "INSERT",
    "INTERSECT", "INTERVAL", "IS",
    "JOIN",      "LATERAL",  "LEFT",
    "LIKE",      "LIMIT",    "MATCH_RECOGNIZE",
    "MINUS",     "NATURAL",  "NOT",
    "NULL",      "OFFSET",   "ON",
    "OR",        "ORDER",    "OUTER",
    "OVER",      "RIGHT",    "SELECT",
    "SIMILAR",   "TABLE",    "THEN",
    "TRUE",      "UNION",    "USING",
    "VALUES",    "WHEN",     "WHERE",
    "WINDOW",    "WITH",
};

constexpr std::string_view kNiladicFunctions[] = {
    "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP",
};

struct UnitWord {
  std::string_view word;
  TimeUnit unit;
};

constexpr UnitWord kUnitWords[] = {
    {"YEAR", TimeUnit::kYear},
    {"YEARS", TimeUnit::kYear},
    {"QUARTER", TimeUnit::kQuarter},
    {"QUARTERS", TimeUnit::kQuarter},
    {"MONTH", TimeUnit::kMonth},
    {"MONTHS", TimeUnit::kMonth},
    {"WEEK", TimeUnit::kWeek},
    {"WEEKS", TimeUnit::kWeek},
    {"DAY", TimeUnit::kDay},
    {"DAYS", TimeUnit::kDay},
    {"HOUR", TimeUnit::kHour},
    {"HOURS", TimeUnit::kHour},
    {"MINUTE", TimeUnit::kMinute},
    {"MINUTES", TimeUnit::kMinute},
    {"SECOND", TimeUnit::kSecond},
    {"SECONDS", TimeUnit::kSecond},
    {"MILLISECOND", TimeUnit::kMillisecond},
    {"MILLISECONDS", TimeUnit::kMillisecond},
    {"MICROSECOND", TimeUnit::kMicrosecond},
    {"MICROSECONDS", TimeUnit::kMicrosecond},
    {"NANOSECOND", TimeUnit::kNanosecond},
    {"NANOSECONDS", TimeUnit::kNanosecond},
    {"DECADE", TimeUnit::kDecade},
    {"CENTURY", TimeUnit::kCentury},
    {"MILLENNIUM", TimeUnit::kMillennium},
    {"DOW", TimeUnit::kDow},
    {"DOY", TimeUnit::kDoy},
    {"ISODOW", TimeUnit::kIsoDow},
    {"ISOYEAR", TimeUnit::kIsoYear},
};

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (UpperAscii(a[i]) != UpperAscii(b[i])) return false;
  }
  return true;
}

std::string ToUpperAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = UpperAscii(c);
  return out;
}

bool IsReservedWord(std::string_view word) {
  if (word.size() > 16) return false;
  std::string upper = ToUpperAscii(word);
  return std::binary_search(std::begin(kReservedWords), std::end(kReservedWords),
                            std::string_view(upper));
}

bool IsNiladicFunction(std::string_view word) {
  return std::any_of(std::begin(kNiladicFunctions), std::end(kNiladicFunctions),
                     [&](std::string_view f) { return EqualsIgnoreCase(f, word); });
}

TimeUnit TimeUnitFromWord(std::string_view word) {
  if (EqualsIgnoreCase(word, "EPOCH")) return TimeUnit::kEpoch;
  for (const UnitWord& entry : kUnitWords) {
    if (EqualsIgnoreCase(entry.word, word)) return entry.unit;
  }
  return TimeUnit::kNone;
}

bool IsPlainIdentifier(std::string_view name) {
  if (name.empty()) return false;
  char first = name[0];
  if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '_')) {
    return false;
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '$';
    if (!ok) return false;
  }
  return !IsReservedWord(name) && !IsNiladicFunction(name);
}

}  // namespace sluice::sql
