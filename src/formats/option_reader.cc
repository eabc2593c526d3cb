#include "formats/option_reader.h"

#include <strings.h>

#include <charconv>

namespace sluice {

const std::string* OptionReader::Find(std::string_view key) const {
  auto it = options_.find(std::string(key));
  return it == options_.end() ? nullptr : &it->second;
}

Status OptionReader::Bad(std::string_view key, const std::string& value,
                         std::string_view expected) const {
  return Status::InvalidOption("option '" + std::string(key) + "' expects " +
                               std::string(expected) + ", got '" + value + "'");
}

bool OptionReader::Has(std::string_view key) const {
  return Find(key) != nullptr;
}

std::string OptionReader::String(std::string_view key, std::string_view fallback) const {
  const std::string* v = Find(key);
  return v ? *v : std::string(fallback);
}

Result<int64_t> OptionReader::Int(std::string_view key, int64_t fallback, int64_t min,
                                  int64_t max) const {
  const std::string* v = Find(key);
  if (!v) return fallback;
  std::string_view text = *v;
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return Bad(key, *v, "a whole number");
  }
  if (n < min || n > max) {
    return Bad(key, *v,
               "a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return n;
}

Result<double> OptionReader::Double(std::string_view key, double fallback) const {
  const std::string* v = Find(key);
  if (!v) return fallback;
  std::string_view text = *v;
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  double d = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return Bad(key, *v, "a number");
  }
  return d;
}

Result<bool> OptionReader::Bool(std::string_view key, bool fallback) const {
  const std::string* v = Find(key);
  if (!v) return fallback;
  if (strcasecmp(v->c_str(), "true") == 0) return true;
  if (strcasecmp(v->c_str(), "false") == 0) return false;
  return Bad(key, *v, "'true' or 'false'");
}

Result<char> OptionReader::Char(std::string_view key, char fallback) const {
  const std::string* v = Find(key);
  if (!v) return fallback;
  if (*v == "\\t") return '\t';
  if (v->size() != 1) return Bad(key, *v, "a single character");
  return (*v)[0];
}

}  // namespace sluice
