#pragma once
// Pieces of the operators' checkpoint format (docs/design/checkpoints.md §4.1) shared by every
// stateful operator: the header each state starts with (which operator wrote it, its format
// version and state schema, so a mismatch is a clear DecodeError instead of misread state),
// vectors of strings as lengths plus one blob, type tags of aggregate states, and the checks on
// what a restore was handed.

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "runtime/operator.h"
#include "runtime/state_codec.h"

namespace sluice {

/// Writes who wrote the state: the operator kind, its format version and its state schema (key
/// types, accumulators, window shape: whatever the bytes' meaning depends on).
void WriteStateHeader(StateEncoder& out, std::string_view kind, uint32_t version,
                      std::string_view schema);
/// DecodeError unless the header says `kind`, `version` and `schema`.
Status ReadStateHeader(StateDecoder& in, std::string_view kind, uint32_t version,
                       std::string_view schema);

/// A DecodeError naming the state and what is wrong with it.
Status InconsistentState(const StateDecoder& in, const std::string& what);

/// Strings as u32 lengths (one vector) and then all their bytes (one blob): a few memcpys instead
/// of a length prefix per string.
template <typename Strings>
void WriteStrings(StateEncoder& out, const Strings& strings) {
  std::vector<uint32_t> lengths;
  lengths.reserve(strings.size());
  uint64_t total = 0;
  for (const auto& s : strings) {
    lengths.push_back(static_cast<uint32_t>(std::string_view(s).size()));
    total += lengths.back();
  }
  out.Pod(lengths);
  out.U64(total);
  for (const auto& s : strings) out.Raw(std::string_view(s).data(), std::string_view(s).size());
}
/// Reads what WriteStrings wrote; *blob views the decoder's input. The lengths are checked to add
/// up to the blob.
Status ReadStrings(StateDecoder& in, std::vector<uint32_t>* lengths, std::string_view* blob);

/// Identifies an aggregate state implementation and its value type in the state bytes.
enum class StateFamily : uint32_t {
  kCount = 1,
  kSumAvg = 2,
  kMinMax = 3,
  kMinMaxRetract = 4,
  kDistinct = 5,
};
template <typename T>
constexpr uint32_t ValueTypeTag() {
  return static_cast<uint32_t>(sizeof(T)) | (std::is_floating_point_v<T> ? 0x100u : 0u) |
         (std::is_same_v<T, std::string_view> ? 0x200u : 0u);
}
constexpr uint32_t StateTag(StateFamily family, uint32_t value_tag, uint32_t flags = 0) {
  return (static_cast<uint32_t>(family) << 24) | (flags << 12) | value_tag;
}
/// DecodeError unless the next u32 is `expected`.
Status ReadStateTag(StateDecoder& in, uint32_t expected);

/// The bytes of section `section` of one restored part, as a DecodeError naming `kind` when
/// missing.
Result<std::string_view> StatePart(const StateSectionsView* part, std::string_view section,
                                   std::string_view kind);

/// This instance's index and the operator's parallelism (0 and 1 without a context).
inline int InstanceOf(const OperatorContext* context) {
  return context ? context->instance : 0;
}
inline int ParallelismOf(const OperatorContext* context) {
  return context ? context->parallelism : 1;
}

/// Checks the parts of `restore` for an instance running at `context`'s parallelism: one part
/// when the parallelism is unchanged (then *rescale = false), else one per old instance.
Status CheckRestoreParts(const OperatorRestore& restore, const OperatorContext* context,
                         std::string_view kind, bool* rescale);

}  // namespace sluice
