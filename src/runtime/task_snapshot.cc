#include "runtime/task_snapshot.h"

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

}  // namespace sluice
