#include "common/memory_size.h"

#include <cctype>

namespace sluice {

Result<int64_t> ParseMemorySize(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  size_t digits = i;
  int64_t value = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    if (value > (INT64_MAX - 9) / 10) {
      return Status::InvalidOption("memory size '" + text + "' is too large");
    }
    value = value * 10 + (text[i++] - '0');
  }
  if (i == digits) {
    return Status::InvalidOption("bad memory size '" + text + "': expected a number like '128mb'");
  }
  while (i < text.size() && text[i] == ' ') ++i;
  std::string unit;
  for (; i < text.size(); ++i) unit += static_cast<char>(std::tolower(text[i]));
  while (!unit.empty() && unit.back() == ' ') unit.pop_back();
  int shift;
  if (unit.empty() || unit == "b" || unit == "bytes") {
    shift = 0;
  } else if (unit == "k" || unit == "kb" || unit == "kibibytes") {
    shift = 10;
  } else if (unit == "m" || unit == "mb" || unit == "mebibytes") {
    shift = 20;
  } else if (unit == "g" || unit == "gb" || unit == "gibibytes") {
    shift = 30;
  } else if (unit == "t" || unit == "tb" || unit == "tebibytes") {
    shift = 40;
  } else {
    return Status::InvalidOption("bad memory size '" + text + "': unknown unit '" + unit +
                                 "' (use b, kb, mb, gb or tb)");
  }
  if (shift > 0 && value > (INT64_MAX >> shift)) {
    return Status::InvalidOption("memory size '" + text + "' is too large");
  }
  return value << shift;
}

}  // namespace sluice
