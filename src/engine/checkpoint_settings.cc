#include "engine/checkpoint_settings.h"

namespace sluice {

namespace {

Result<int64_t> DurationOption(const SessionConfig& session, const char* key, int64_t fallback) {
  auto value = session.Get(key);
  if (!value) return fallback;
  auto micros = ParseDuration(*value);
  if (!micros.ok()) return micros.status().WithContext(std::string("'") + key + "'");
  if (*micros < 0) return Status::InvalidOption(std::string("'") + key + "' must not be negative");
  return *micros;
}

}  // namespace

Result<CheckpointSettings> CheckpointSettings::FromSession(const SessionConfig& session) {
  CheckpointSettings settings;
  SLUICE_ASSIGN_OR_RETURN(settings.config.interval_micros,
                          DurationOption(session, "execution.checkpointing.interval", 0));
  SLUICE_ASSIGN_OR_RETURN(
      settings.config.timeout_micros,
      DurationOption(session, "execution.checkpointing.timeout", settings.config.timeout_micros));
  SLUICE_ASSIGN_OR_RETURN(settings.config.min_pause_micros,
                          DurationOption(session, "execution.checkpointing.min-pause", 0));
  if (settings.config.timeout_micros == 0) {
    return Status::InvalidOption("'execution.checkpointing.timeout' must be positive");
  }
  if (auto retained = session.Get("state.checkpoints.num-retained")) {
    char* end = nullptr;
    long n = std::strtol(retained->c_str(), &end, 10);
    if (end == retained->c_str() || *end != '\0' || n < 1 || n > 1000) {
      return Status::InvalidOption(
          "'state.checkpoints.num-retained' must be from 1 to 1000, got '" + *retained + "'");
    }
    settings.config.retained = static_cast<int>(n);
  }
  settings.config.pipeline = session.Get("pipeline.name").value_or("");
  settings.enabled = settings.config.interval_micros > 0;
  if (!settings.enabled) return settings;
  auto dir = session.Get("state.checkpoints.dir");
  if (!dir || dir->empty()) {
    return Status::InvalidOption(
        "'execution.checkpointing.interval' is set but 'state.checkpoints.dir' is not: SET "
        "'state.checkpoints.dir' = '/path/for/checkpoints'");
  }
  if (dir->rfind("s3://", 0) == 0) {
    return Status::Unsupported(
        "'state.checkpoints.dir' on S3 is not supported yet: use a local "
        "directory");
  }
  if (settings.config.pipeline.empty()) {
    return Status::InvalidOption(
        "checkpoints need a 'pipeline.name' (it names the checkpoint directory): SET "
        "'pipeline.name' = 'orders-summary'");
  }
  settings.directory = *dir;
  return settings;
}

}  // namespace sluice
