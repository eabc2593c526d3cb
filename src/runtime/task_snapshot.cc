#include "runtime/task_snapshot.h"

#include <chrono>

#include "runtime/state_codec.h"

namespace sluice {

namespace {
constexpr uint32_t kTaskStateVersion = 1;
}

std::string EncodeTaskState(int64_t chain_watermark, const std::vector<int64_t>& input_watermarks) {
  StateEncoder out;
  out.U32(kTaskStateVersion);
  out.I64(chain_watermark);
  out.Pod(input_watermarks);
  return out.Take();
}

Status DecodeTaskState(std::string_view data, int64_t* chain_watermark,
                       std::vector<int64_t>* input_watermarks) {
  StateDecoder in(data, "task state");
  uint32_t version = 0;
  SLUICE_RETURN_IF_ERROR(in.U32(&version));
  if (version != kTaskStateVersion) {
    return Status::DecodeError("task state: unknown format version " + std::to_string(version));
  }
  SLUICE_RETURN_IF_ERROR(in.I64(chain_watermark));
  SLUICE_RETURN_IF_ERROR(in.Pod(input_watermarks));
  return in.Finish();
}

void MarkRestored(const TaskRestore& restore) {
  if (!restore.restored_at_micros) return;
  const int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  int64_t seen = restore.restored_at_micros->load();
  while (seen < now && !restore.restored_at_micros->compare_exchange_weak(seen, now)) {
  }
}

}  // namespace sluice
