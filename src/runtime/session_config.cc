#include "runtime/session_config.h"

#include <cctype>
#include <thread>

#include "types/time_format.h"

namespace sluice {

std::optional<std::string> SessionConfig::Get(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

int SessionConfig::Parallelism() const {
  auto v = Get("parallelism.default");
  if (v) {
    int p = std::atoi(v->c_str());
    if (p > 0) return p;
  }
  unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(cores);
}

int64_t SessionConfig::AllowedLatenessMicros() const {
  auto v = Get("table.exec.emit.allow-lateness");
  if (!v) return 0;
  auto d = ParseDuration(*v);
  return d.ok() ? *d : 0;
}

int64_t SessionConfig::SourceIdleTimeoutMicros() const {
  auto v = Get("table.exec.source.idle-timeout");
  if (!v) return 0;
  auto d = ParseDuration(*v);
  return d.ok() ? *d : 0;
}

int SessionConfig::BatchSize() const {
  auto v = Get("sluice.batch-size");
  int n = v ? std::atoi(v->c_str()) : 0;
  return n > 0 ? n : 4096;
}

Status SessionConfig::Validate() {
  if (auto v = Get("parallelism.default")) {
    char* end = nullptr;
    long p = std::strtol(v->c_str(), &end, 10);
    if (*end != '\0' || p < 1 || p > 1024) {
      return Status::InvalidOption(
          "'parallelism.default' must be a whole number from 1 to 1024, got '" + *v + "'");
    }
  }
  for (const char* key : {"table.exec.emit.allow-lateness", "table.exec.source.idle-timeout"}) {
    if (auto v = Get(key)) {
      auto d = ParseDuration(*v);
      if (!d.ok()) return d.status().WithContext(std::string("'") + key + "'");
    }
  }
  if (auto v = Get("sluice.batch-size")) {
    long n = std::strtol(v->c_str(), nullptr, 10);
    if (n < 1 || n > 1 << 20) {
      return Status::InvalidOption("'sluice.batch-size' must be from 1 to 1048576, got '" + *v +
                                   "'");
    }
  }
  if (auto v = Get("table.local-time-zone")) {
    if (*v != "default") {
      auto tz = TimeZone::Parse(*v);
      if (!tz.ok()) return tz.status().WithContext("'table.local-time-zone'");
      time_zone_ = *tz;
    }
  }
  return Status::OK();
}

Result<int64_t> ParseDuration(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  size_t start = i;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == start) return Status::InvalidOption("bad duration '" + text + "': expected a number");
  int64_t n = std::stoll(text.substr(start, i - start));
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::string unit;
  for (; i < text.size(); ++i) unit += static_cast<char>(std::tolower(text[i]));
  while (!unit.empty() && std::isspace(static_cast<unsigned char>(unit.back()))) unit.pop_back();
  int64_t scale;
  if (unit.empty() || unit == "ms" || unit == "milli" || unit == "millis" ||
      unit == "millisecond" || unit == "milliseconds") {
    scale = kMicrosPerMilli;
  } else if (unit == "s" || unit == "sec" || unit == "secs" || unit == "second" ||
             unit == "seconds") {
    scale = kMicrosPerSecond;
  } else if (unit == "min" || unit == "mins" || unit == "minute" || unit == "minutes" ||
             unit == "m") {
    scale = kMicrosPerMinute;
  } else if (unit == "h" || unit == "hour" || unit == "hours") {
    scale = kMicrosPerHour;
  } else if (unit == "d" || unit == "day" || unit == "days") {
    scale = kMicrosPerDay;
  } else if (unit == "us" || unit == "micro" || unit == "micros") {
    scale = 1;
  } else {
    return Status::InvalidOption("bad duration '" + text + "': unknown unit '" + unit +
                                 "' (use ms, s, min, h or d)");
  }
  return n * scale;
}

}  // namespace sluice
