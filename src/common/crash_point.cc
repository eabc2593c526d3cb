#include "common/crash_point.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

namespace sluice {

namespace {

struct CrashSpec {
  std::string name;
  long hits_left = 0;  // 0: disabled
};

CrashSpec* Spec() {
  static CrashSpec* spec = [] {
    auto* s = new CrashSpec();
    const char* env = std::getenv("SLUICE_CRASH_POINT");
    if (!env || !*env) return s;
    std::string value(env);
    size_t colon = value.rfind(':');
    s->hits_left = 1;
    if (colon != std::string::npos) {
      s->hits_left = std::strtol(value.c_str() + colon + 1, nullptr, 10);
      value.resize(colon);
    }
    s->name = value;
    return s;
  }();
  return spec;
}

std::mutex crash_mutex;

}  // namespace

void CrashPoint(std::string_view name) {
  CrashSpec* spec = Spec();
  if (spec->hits_left <= 0 || spec->name != name) return;
  std::lock_guard<std::mutex> lock(crash_mutex);
  if (--spec->hits_left > 0) return;
  std::fprintf(stderr, "sluice: crash point '%s' reached: SIGKILL\n", spec->name.c_str());
  std::fflush(stderr);
  std::raise(SIGKILL);
}

}  // namespace sluice
