#include "exec/functions/date_time_pattern.h"

#include <cctype>

#include "types/time_format.h"

namespace sluice {

namespace {

constexpr std::string_view kMonthNames[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
constexpr std::string_view kDayNames[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                          "Thursday", "Friday", "Saturday"};

void AppendPadded(std::string* out, int64_t value, int width) {
  if (value < 0) {
    out->push_back('-');
    value = -value;
  }
  std::string digits = std::to_string(value);
  if (static_cast<int>(digits.size()) < width) out->append(width - digits.size(), '0');
  out->append(digits);
}

void AppendOffset(std::string* out, int64_t offset_micros, bool colon, bool with_minutes) {
  int64_t minutes = offset_micros / kMicrosPerMinute;
  out->push_back(minutes < 0 ? '-' : '+');
  if (minutes < 0) minutes = -minutes;
  AppendPadded(out, minutes / 60, 2);
  if (!with_minutes && minutes % 60 == 0) return;
  if (colon) out->push_back(':');
  AppendPadded(out, minutes % 60, 2);
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

bool IsLeap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int DaysInMonth(int64_t y, int64_t m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

}  // namespace

Result<DateTimePattern> DateTimePattern::Compile(std::string_view pattern) {
  DateTimePattern p;
  auto literal = [&p](std::string_view text) {
    if (p.tokens_.empty() || p.tokens_.back().field != Field::kLiteral) {
      p.tokens_.push_back({Field::kLiteral, 0, ""});
    }
    p.tokens_.back().literal.append(text);
  };
  for (size_t i = 0; i < pattern.size();) {
    char c = pattern[i];
    if (c == '\'') {
      if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
        literal("'");
        i += 2;
        continue;
      }
      std::string text;
      size_t j = i + 1;
      for (;; ++j) {
        if (j >= pattern.size()) {
          return Status::InvalidArgument("unclosed quote in date format '" + std::string(pattern) +
                                         "'");
        }
        if (pattern[j] != '\'') {
          text.push_back(pattern[j]);
        } else if (j + 1 < pattern.size() && pattern[j + 1] == '\'') {
          text.push_back('\'');
          ++j;
        } else {
          break;
        }
      }
      literal(text);
      i = j + 1;
      continue;
    }
    if (!std::isalpha(static_cast<unsigned char>(c))) {
      literal(std::string_view(&pattern[i], 1));
      ++i;
      continue;
    }
    size_t run = i;
    while (run < pattern.size() && pattern[run] == c) ++run;
    int width = static_cast<int>(run - i);
    Field field;
    switch (c) {
      case 'y':
      case 'u':
        field = Field::kYear;
        break;
      case 'M':
      case 'L':
        field = Field::kMonth;
        break;
      case 'd':
        field = Field::kDay;
        break;
      case 'D':
        field = Field::kDayOfYear;
        break;
      case 'H':
        field = Field::kHour24;
        break;
      case 'k':
        field = Field::kHour24One;
        break;
      case 'K':
        field = Field::kHour12Zero;
        break;
      case 'h':
        field = Field::kHour12;
        break;
      case 'a':
        field = Field::kAmPm;
        break;
      case 'm':
        field = Field::kMinute;
        break;
      case 's':
        field = Field::kSecond;
        break;
      case 'S':
        field = Field::kFraction;
        break;
      case 'E':
        field = Field::kDayName;
        break;
      case 'Z':
        field = Field::kOffsetZ;
        break;
      case 'X':
        field = Field::kOffsetX;
        break;
      case 'x':
        field = Field::kOffsetx;
        break;
      default:
        return Status::InvalidArgument("unsupported letter '" + std::string(1, c) +
                                       "' in date format '" + std::string(pattern) + "'");
    }
    p.tokens_.push_back({field, width, ""});
    i = run;
  }
  return p;
}

bool DateTimePattern::IsNumeric(const Token& t) {
  switch (t.field) {
    case Field::kLiteral:
    case Field::kAmPm:
    case Field::kDayName:
    case Field::kOffsetZ:
    case Field::kOffsetX:
    case Field::kOffsetx:
      return false;
    case Field::kMonth:
      return t.width <= 2;
    default:
      return true;
  }
}

void DateTimePattern::Format(int64_t wall_micros, int64_t offset_micros, std::string* out) const {
  int64_t days = FloorDiv(wall_micros, kMicrosPerDay);
  int64_t tod = wall_micros - days * kMicrosPerDay;
  int64_t year;
  unsigned month, day;
  CivilFromDays(days, &year, &month, &day);
  int64_t hour = tod / kMicrosPerHour;
  for (const Token& t : tokens_) {
    switch (t.field) {
      case Field::kLiteral:
        out->append(t.literal);
        break;
      case Field::kYear:
        if (t.width == 2) {
          AppendPadded(out, FloorMod(year, 100), 2);
        } else {
          AppendPadded(out, year, t.width);
        }
        break;
      case Field::kMonth:
        if (t.width <= 2) {
          AppendPadded(out, month, t.width);
        } else {
          std::string_view name = kMonthNames[month - 1];
          out->append(t.width == 3 ? name.substr(0, 3) : name);
        }
        break;
      case Field::kDay:
        AppendPadded(out, day, t.width);
        break;
      case Field::kDayOfYear:
        AppendPadded(out, days - DaysFromCivil(year, 1, 1) + 1, t.width);
        break;
      case Field::kHour24:
        AppendPadded(out, hour, t.width);
        break;
      case Field::kHour24One:
        AppendPadded(out, hour == 0 ? 24 : hour, t.width);
        break;
      case Field::kHour12Zero:
        AppendPadded(out, hour % 12, t.width);
        break;
      case Field::kHour12:
        AppendPadded(out, hour % 12 == 0 ? 12 : hour % 12, t.width);
        break;
      case Field::kAmPm:
        out->append(hour < 12 ? "AM" : "PM");
        break;
      case Field::kMinute:
        AppendPadded(out, tod / kMicrosPerMinute % 60, t.width);
        break;
      case Field::kSecond:
        AppendPadded(out, tod / kMicrosPerSecond % 60, t.width);
        break;
      case Field::kFraction: {
        std::string digits;
        AppendPadded(&digits, tod % kMicrosPerSecond, 6);
        if (t.width <= 6) {
          out->append(digits, 0, t.width);
        } else {
          out->append(digits);
          out->append(t.width - 6, '0');
        }
        break;
      }
      case Field::kDayName: {
        std::string_view name = kDayNames[FloorMod(days + 4, 7)];
        out->append(t.width <= 3 ? name.substr(0, 3) : name);
        break;
      }
      case Field::kOffsetZ:
        AppendOffset(out, offset_micros, /*colon=*/false, /*with_minutes=*/true);
        break;
      case Field::kOffsetX:
      case Field::kOffsetx:
        if (t.field == Field::kOffsetX && offset_micros == 0) {
          out->push_back('Z');
        } else {
          AppendOffset(out, offset_micros, /*colon=*/t.width >= 3, /*with_minutes=*/t.width >= 2);
        }
        break;
    }
  }
}

std::optional<DateTimePattern::Parsed> DateTimePattern::Parse(std::string_view text) const {
  int64_t year = 1970, month = 1, day = 1, day_of_year = 0;
  int64_t hour = 0, minute = 0, second = 0, micros = 0;
  int pm = -1;  // -1: no AM/PM field
  Field hour_field = Field::kHour24;
  Parsed parsed;
  size_t pos = 0;

  // Reads between min and max digits.
  auto number = [&](size_t min_digits, size_t max_digits, int64_t* value, size_t* read) {
    size_t start = pos;
    int64_t v = 0;
    while (pos < text.size() && pos - start < max_digits &&
           std::isdigit(static_cast<unsigned char>(text[pos]))) {
      v = v * 10 + (text[pos] - '0');
      ++pos;
    }
    *read = pos - start;
    *value = v;
    return *read >= min_digits;
  };

  for (size_t k = 0; k < tokens_.size(); ++k) {
    const Token& t = tokens_[k];
    bool adjacent = k + 1 < tokens_.size() && IsNumeric(tokens_[k + 1]) && IsNumeric(t);
    size_t width = static_cast<size_t>(t.width);
    if (IsNumeric(t)) {
      size_t max_digits = adjacent ? width
                          : t.field == Field::kYear || t.field == Field::kFraction
                              ? std::max<size_t>(9, width)
                          : t.field == Field::kDayOfYear ? std::max<size_t>(3, width)
                                                         : std::max<size_t>(2, width);
      size_t min_digits = adjacent ? width : 1;
      int64_t v;
      size_t read;
      if (!number(min_digits, max_digits, &v, &read)) return std::nullopt;
      switch (t.field) {
        case Field::kYear:
          year = (t.width == 2 && read == 2) ? 2000 + v : v;
          break;
        case Field::kMonth:
          month = v;
          break;
        case Field::kDay:
          day = v;
          break;
        case Field::kDayOfYear:
          day_of_year = v;
          break;
        case Field::kHour24:
        case Field::kHour24One:
        case Field::kHour12Zero:
        case Field::kHour12:
          hour = v;
          hour_field = t.field;
          break;
        case Field::kMinute:
          minute = v;
          break;
        case Field::kSecond:
          second = v;
          break;
        case Field::kFraction:
          micros = v;
          for (size_t d = read; d < 6; ++d) micros *= 10;
          for (size_t d = 6; d < read; ++d) micros /= 10;
          break;
        default:
          break;
      }
      continue;
    }
    std::string_view rest = text.substr(pos);
    switch (t.field) {
      case Field::kLiteral:
        if (rest.substr(0, t.literal.size()) != t.literal) return std::nullopt;
        pos += t.literal.size();
        break;
      case Field::kMonth: {
        bool found = false;
        for (int m = 0; m < 12 && !found; ++m) {
          std::string_view name = kMonthNames[m];
          for (std::string_view candidate : {name, name.substr(0, 3)}) {
            if (StartsWithIgnoreCase(rest, candidate)) {
              month = m + 1;
              pos += candidate.size();
              found = true;
              break;
            }
          }
        }
        if (!found) return std::nullopt;
        break;
      }
      case Field::kDayName: {
        bool found = false;
        for (std::string_view name : kDayNames) {
          for (std::string_view candidate : {name, name.substr(0, 3)}) {
            if (!found && StartsWithIgnoreCase(rest, candidate)) {
              pos += candidate.size();
              found = true;
            }
          }
        }
        if (!found) return std::nullopt;
        break;
      }
      case Field::kAmPm:
        if (StartsWithIgnoreCase(rest, "AM")) {
          pm = 0;
        } else if (StartsWithIgnoreCase(rest, "PM")) {
          pm = 1;
        } else {
          return std::nullopt;
        }
        pos += 2;
        break;
      case Field::kOffsetZ:
      case Field::kOffsetX:
      case Field::kOffsetx: {
        if (!rest.empty() && rest[0] == 'Z') {
          parsed.offset_micros = 0;
          ++pos;
          break;
        }
        if (rest.empty() || (rest[0] != '+' && rest[0] != '-')) return std::nullopt;
        int sign = rest[0] == '-' ? -1 : 1;
        ++pos;
        int64_t hours, minutes = 0;
        size_t read;
        if (!number(2, 2, &hours, &read)) return std::nullopt;
        if (pos < text.size() && text[pos] == ':') ++pos;
        if (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
          if (!number(2, 2, &minutes, &read)) return std::nullopt;
        }
        if (hours > 18 || minutes > 59) return std::nullopt;
        parsed.offset_micros = sign * (hours * kMicrosPerHour + minutes * kMicrosPerMinute);
        break;
      }
      default:
        return std::nullopt;
    }
  }
  if (pos != text.size()) return std::nullopt;

  switch (hour_field) {
    case Field::kHour24One:
      if (hour < 1 || hour > 24) return std::nullopt;
      hour %= 24;
      break;
    case Field::kHour12:
      if (hour < 1 || hour > 12) return std::nullopt;
      hour %= 12;
      break;
    case Field::kHour12Zero:
      if (hour > 11) return std::nullopt;
      break;
    default:
      break;
  }
  if (pm == 1 && hour < 12) hour += 12;
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  int64_t days;
  if (day_of_year > 0) {
    if (day_of_year > (IsLeap(year) ? 366 : 365)) return std::nullopt;
    days = DaysFromCivil(year, 1, 1) + day_of_year - 1;
  } else {
    if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return std::nullopt;
    days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  }
  parsed.wall_micros = days * kMicrosPerDay + hour * kMicrosPerHour + minute * kMicrosPerMinute +
                       second * kMicrosPerSecond + micros;
  return parsed;
}

}  // namespace sluice
