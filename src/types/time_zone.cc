#include "types/time_zone.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <string_view>

#include "types/time_format.h"

namespace sluice {

namespace {

constexpr int64_t kMaxOffsetMicros = 18 * kMicrosPerHour;  // Java's ZoneOffset range
// Years for which a POSIX footer rule is expanded into explicit transitions.
constexpr int64_t kLastExpandedYear = 2200;
// TZif times beyond this are sentinels ("big bang"); clamp so micros do not overflow.
constexpr int64_t kMaxTzifSeconds = int64_t{1} << 40;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

// Reads 1-2 digit hours and optional [:]mm[[:]ss]; returns seconds.
std::optional<int64_t> ParseClock(std::string_view s) {
  size_t i = 0;
  auto digits = [&](size_t max_len) -> std::optional<int64_t> {
    size_t start = i;
    int64_t v = 0;
    while (i < s.size() && i - start < max_len && std::isdigit(static_cast<unsigned char>(s[i]))) {
      v = v * 10 + (s[i] - '0');
      ++i;
    }
    if (i == start) return std::nullopt;
    return v;
  };
  std::optional<int64_t> hours;
  // "+0800" / "+08": two digits then optional two more without a colon.
  if (s.size() == 4 && std::all_of(s.begin(), s.end(), ::isdigit)) {
    hours = digits(2);
    std::optional<int64_t> minutes = digits(2);
    if (!hours || !minutes || *minutes >= 60) return std::nullopt;
    return *hours * 3600 + *minutes * 60;
  }
  hours = digits(2);
  if (!hours) return std::nullopt;
  int64_t total = *hours * 3600;
  for (int part = 0; part < 2 && i < s.size(); ++part) {
    if (s[i] == ':') ++i;
    if (i < s.size() && s[i] == ':') return std::nullopt;
    std::optional<int64_t> v = digits(2);
    if (!v || *v >= 60) return std::nullopt;
    total += *v * (part == 0 ? 60 : 1);
  }
  if (i != s.size()) return std::nullopt;
  return total;
}

// "+08:00", "-3", "+0530" -> offset micros east of UTC.
std::optional<int64_t> ParseSignedOffset(std::string_view s) {
  if (s.empty() || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  std::optional<int64_t> seconds = ParseClock(s.substr(1));
  if (!seconds) return std::nullopt;
  int64_t micros = *seconds * kMicrosPerSecond;
  if (micros > kMaxOffsetMicros) return std::nullopt;
  return s[0] == '-' ? -micros : micros;
}

// --- POSIX TZ strings (the TZif footer), e.g. "EST5EDT,M3.2.0,M11.1.0" ---

struct PosixDayRule {
  char kind = 'M';  // 'M' month.week.day, 'J' julian 1..365 without Feb 29, 'N' zero-based day
  int month = 0;
  int week = 0;
  int weekday = 0;
  int day = 0;
  int64_t time_seconds = 2 * 3600;  // local time of the change
};

struct PosixRule {
  int64_t std_offset = 0;  // micros east of UTC
  bool has_dst = false;
  int64_t dst_offset = 0;
  PosixDayRule start;
  PosixDayRule end;
};

class PosixParser {
 public:
  explicit PosixParser(std::string_view s) : s_(s) {}

  std::optional<PosixRule> Parse() {
    PosixRule rule;
    if (!SkipName()) return std::nullopt;
    std::optional<int64_t> std_west = Offset();
    if (!std_west) return std::nullopt;
    rule.std_offset = -*std_west * kMicrosPerSecond;
    if (Done()) return rule;
    if (!SkipName()) return std::nullopt;
    rule.has_dst = true;
    rule.dst_offset = rule.std_offset + kMicrosPerHour;
    if (!Done() && s_[i_] != ',') {
      std::optional<int64_t> dst_west = Offset();
      if (!dst_west) return std::nullopt;
      rule.dst_offset = -*dst_west * kMicrosPerSecond;
    }
    if (Done()) {
      // US rules are the POSIX default when none are given.
      rule.start = {'M', 3, 2, 0, 0, 7200};
      rule.end = {'M', 11, 1, 0, 0, 7200};
      return rule;
    }
    if (!Consume(',') || !DayRule(&rule.start) || !Consume(',') || !DayRule(&rule.end)) {
      return std::nullopt;
    }
    if (!Done()) return std::nullopt;
    return rule;
  }

 private:
  bool Done() const { return i_ >= s_.size(); }
  bool Consume(char c) {
    if (Done() || s_[i_] != c) return false;
    ++i_;
    return true;
  }
  bool SkipName() {
    if (Consume('<')) {
      while (!Done() && s_[i_] != '>') ++i_;
      return Consume('>');
    }
    size_t start = i_;
    while (!Done() && std::isalpha(static_cast<unsigned char>(s_[i_]))) ++i_;
    return i_ - start >= 3;
  }
  std::optional<int64_t> Number() {
    size_t start = i_;
    int64_t v = 0;
    while (!Done() && std::isdigit(static_cast<unsigned char>(s_[i_]))) {
      v = v * 10 + (s_[i_] - '0');
      ++i_;
    }
    if (i_ == start) return std::nullopt;
    return v;
  }
  // [+-]hh[:mm[:ss]] in seconds; POSIX offsets count west of UTC.
  std::optional<int64_t> Offset() {
    int sign = 1;
    if (Consume('-')) {
      sign = -1;
    } else {
      Consume('+');
    }
    std::optional<int64_t> h = Number();
    if (!h) return std::nullopt;
    int64_t total = *h * 3600;
    for (int64_t scale : {60, 1}) {
      if (!Consume(':')) break;
      std::optional<int64_t> v = Number();
      if (!v) return std::nullopt;
      total += *v * scale;
    }
    return sign * total;
  }
  bool DayRule(PosixDayRule* rule) {
    if (Consume('M')) {
      rule->kind = 'M';
      std::optional<int64_t> m = Number();
      if (!m || !Consume('.')) return false;
      std::optional<int64_t> w = Number();
      if (!w || !Consume('.')) return false;
      std::optional<int64_t> d = Number();
      if (!d || *m < 1 || *m > 12 || *w < 1 || *w > 5 || *d > 6) return false;
      rule->month = static_cast<int>(*m);
      rule->week = static_cast<int>(*w);
      rule->weekday = static_cast<int>(*d);
    } else {
      rule->kind = Consume('J') ? 'J' : 'N';
      std::optional<int64_t> d = Number();
      if (!d || *d > 365) return false;
      rule->day = static_cast<int>(*d);
    }
    rule->time_seconds = 7200;
    if (Consume('/')) {
      std::optional<int64_t> t = Offset();
      if (!t) return false;
      rule->time_seconds = *t;
    }
    return true;
  }

  std::string_view s_;
  size_t i_ = 0;
};

bool IsLeapYear(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// Days since the epoch of the rule's date in `year`.
int64_t RuleDay(const PosixDayRule& rule, int64_t year) {
  int64_t jan1 = DaysFromCivil(year, 1, 1);
  if (rule.kind == 'N') return jan1 + rule.day;
  if (rule.kind == 'J') {
    int64_t day = rule.day - 1;  // Feb 29 is never counted
    if (IsLeapYear(year) && rule.day >= 60) ++day;
    return jan1 + day;
  }
  int64_t first = DaysFromCivil(year, rule.month, 1);
  int64_t first_weekday = FloorMod(first + 4, 7);  // 1970-01-01 was a Thursday (4)
  int64_t day = first + FloorMod(rule.weekday - first_weekday, 7) + (rule.week - 1) * 7;
  unsigned next_month = rule.month == 12 ? 1 : rule.month + 1;
  int64_t next = DaysFromCivil(rule.month == 12 ? year + 1 : year, next_month, 1);
  while (day >= next) day -= 7;  // week 5 means "last"
  return day;
}

struct TzifTransition {
  int64_t at_utc_micros;
  int64_t offset_micros;
};

class TzifReader {
 public:
  explicit TzifReader(std::string_view data) : data_(data) {}

  // Fills transitions (sorted) and the footer; false when the file is not valid TZif.
  bool Read(std::vector<TzifTransition>* transitions, int64_t* initial_offset,
            std::string* footer) {
    Header v1;
    if (!ReadHeader(&v1)) return false;
    if (v1.version == 0) return ReadBlock(v1, 4, transitions, initial_offset);
    pos_ += v1.BlockSize(4);
    Header v2;
    if (!ReadHeader(&v2) || !ReadBlock(v2, 8, transitions, initial_offset)) return false;
    if (pos_ < data_.size() && data_[pos_] == '\n') {
      size_t end = data_.find('\n', pos_ + 1);
      if (end != std::string_view::npos)
        *footer = std::string(data_.substr(pos_ + 1, end - pos_ - 1));
    }
    return true;
  }

 private:
  struct Header {
    char version = 0;
    uint32_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;
    size_t BlockSize(size_t time_size) const {
      return timecnt * time_size + timecnt + typecnt * 6 + charcnt + leapcnt * (time_size + 4) +
             isstdcnt + isutcnt;
    }
  };

  bool Has(size_t n) const { return pos_ + n <= data_.size(); }
  uint32_t U32(size_t at) const {
    const auto* p = reinterpret_cast<const unsigned char*>(data_.data() + at);
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
  }
  int64_t I64(size_t at) const {
    return static_cast<int64_t>((uint64_t{U32(at)} << 32) | U32(at + 4));
  }

  bool ReadHeader(Header* h) {
    if (!Has(44) || data_.substr(pos_, 4) != "TZif") return false;
    h->version = data_[pos_ + 4];
    h->isutcnt = U32(pos_ + 20);
    h->isstdcnt = U32(pos_ + 24);
    h->leapcnt = U32(pos_ + 28);
    h->timecnt = U32(pos_ + 32);
    h->typecnt = U32(pos_ + 36);
    h->charcnt = U32(pos_ + 40);
    pos_ += 44;
    return h->typecnt > 0 && Has(h->BlockSize(h->version == 0 ? 4 : 8));
  }

  bool ReadBlock(const Header& h, size_t time_size, std::vector<TzifTransition>* transitions,
                 int64_t* initial_offset) {
    size_t times_at = pos_;
    size_t indices_at = times_at + h.timecnt * time_size;
    size_t types_at = indices_at + h.timecnt;
    std::vector<int64_t> type_offsets(h.typecnt);
    for (uint32_t t = 0; t < h.typecnt; ++t) {
      type_offsets[t] =
          static_cast<int64_t>(static_cast<int32_t>(U32(types_at + t * 6))) * kMicrosPerSecond;
    }
    *initial_offset = type_offsets[0];
    transitions->clear();
    for (uint32_t k = 0; k < h.timecnt; ++k) {
      int64_t at =
          time_size == 8 ? I64(times_at + k * 8) : static_cast<int32_t>(U32(times_at + k * 4));
      uint8_t type = static_cast<uint8_t>(data_[indices_at + k]);
      if (type >= h.typecnt) return false;
      at = std::clamp(at, -kMaxTzifSeconds, kMaxTzifSeconds);
      transitions->push_back({at * kMicrosPerSecond, type_offsets[type]});
    }
    pos_ += h.BlockSize(time_size);
    return true;
  }

  std::string_view data_;
  size_t pos_ = 0;
};

// Appends the footer rule's transitions for the years after the table ends.
void ExpandPosixRule(const PosixRule& rule, std::vector<TzifTransition>* transitions) {
  if (!rule.has_dst) return;
  int64_t last_at = transitions->empty() ? std::numeric_limits<int64_t>::min()
                                         : transitions->back().at_utc_micros;
  int64_t first_year = 1970;
  if (!transitions->empty()) {
    int64_t year;
    unsigned month, day;
    CivilFromDays(FloorDiv(last_at, kMicrosPerDay), &year, &month, &day);
    first_year = year;
  }
  std::vector<TzifTransition> extra;
  for (int64_t year = first_year; year <= kLastExpandedYear; ++year) {
    // DST starts at a standard-time wall clock and ends at a DST wall clock.
    int64_t start = RuleDay(rule.start, year) * kMicrosPerDay +
                    rule.start.time_seconds * kMicrosPerSecond - rule.std_offset;
    int64_t end = RuleDay(rule.end, year) * kMicrosPerDay +
                  rule.end.time_seconds * kMicrosPerSecond - rule.dst_offset;
    if (start > last_at) extra.push_back({start, rule.dst_offset});
    if (end > last_at) extra.push_back({end, rule.std_offset});
  }
  std::sort(extra.begin(), extra.end(), [](const TzifTransition& a, const TzifTransition& b) {
    return a.at_utc_micros < b.at_utc_micros;
  });
  transitions->insert(transitions->end(), extra.begin(), extra.end());
}

bool IsSafeZoneName(const std::string& name) {
  if (name.empty() || name[0] == '/' || name.find("..") != std::string::npos) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' ||
           c == '+';
  });
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return data;
}

}  // namespace

TimeZone TimeZone::Utc() {
  return TimeZone();
}

Result<TimeZone> TimeZone::Parse(const std::string& name) {
  TimeZone zone;
  zone.name_ = name;
  std::string_view s = name;
  if (EqualsIgnoreCase(s, "UTC") || EqualsIgnoreCase(s, "Z") || EqualsIgnoreCase(s, "GMT") ||
      EqualsIgnoreCase(s, "UT")) {
    return zone;
  }
  // Fixed offsets: "+08:00", "GMT+8", "UTC-03:30", "UT+1".
  for (std::string_view prefix : {"UTC", "GMT", "UT", ""}) {
    if (!StartsWithIgnoreCase(s, prefix)) continue;
    std::string_view rest = s.substr(prefix.size());
    if (rest.empty() || (rest[0] != '+' && rest[0] != '-')) continue;
    std::optional<int64_t> offset = ParseSignedOffset(rest);
    if (!offset) return Status::InvalidArgument("unknown time zone '" + name + "'");
    zone.fixed_offset_micros_ = *offset;
    return zone;
  }
  if (!IsSafeZoneName(name)) return Status::InvalidArgument("unknown time zone '" + name + "'");
  const char* dir = std::getenv("TZDIR");
  std::string path = std::string(dir && *dir ? dir : "/usr/share/zoneinfo") + "/" + name;
  std::optional<std::string> data = ReadFile(path);
  if (!data) return Status::InvalidArgument("unknown time zone '" + name + "'");

  std::vector<TzifTransition> table;
  int64_t initial_offset = 0;
  std::string footer;
  if (!TzifReader(*data).Read(&table, &initial_offset, &footer)) {
    return Status::InvalidArgument("unknown time zone '" + name + "' (not a TZif file)");
  }
  if (!footer.empty()) {
    if (std::optional<PosixRule> rule = PosixParser(footer).Parse()) {
      if (table.empty()) initial_offset = rule->std_offset;
      ExpandPosixRule(*rule, &table);
    }
  }
  auto transitions = std::make_shared<std::vector<Transition>>();
  transitions->reserve(table.size() + 1);
  transitions->push_back({std::numeric_limits<int64_t>::min(), initial_offset});
  for (const TzifTransition& t : table) {
    if (t.offset_micros == transitions->back().offset_micros) continue;  // no change
    transitions->push_back({t.at_utc_micros, t.offset_micros});
  }
  if (transitions->size() == 1) {
    zone.fixed_offset_micros_ = initial_offset;
    return zone;
  }
  zone.transitions_ = std::move(transitions);
  return zone;
}

int64_t TimeZone::OffsetAtUtc(int64_t utc_micros) const {
  if (!transitions_) return fixed_offset_micros_;
  const std::vector<Transition>& t = *transitions_;
  // Last transition at or before the instant; t[0] is at -infinity.
  auto it = std::upper_bound(t.begin(), t.end(), utc_micros,
                             [](int64_t v, const Transition& tr) { return v < tr.at_utc_micros; });
  return std::prev(it)->offset_micros;
}

int64_t TimeZone::ToUtc(int64_t local_micros) const {
  if (!transitions_) return local_micros - fixed_offset_micros_;
  // Offsets in force a day before and after bracket any single transition.
  int64_t before = OffsetAtUtc(local_micros - kMicrosPerDay);
  int64_t after = OffsetAtUtc(local_micros + kMicrosPerDay);
  int64_t earlier = local_micros - std::max(before, after);
  int64_t later = local_micros - std::min(before, after);
  if (ToLocal(earlier) == local_micros) return earlier;
  if (ToLocal(later) == local_micros) return later;
  // In a gap (spring forward): shift by the gap, as java.time does (02:30 -> 03:30).
  return local_micros - before;
}

}  // namespace sluice
