#include "exec/operators/state_format.h"

#include <algorithm>

namespace sluice {

void WriteStateHeader(StateEncoder& out, std::string_view kind, uint32_t version,
                      std::string_view schema) {
  out.Bytes(kind);
  out.U32(version);
  out.Bytes(schema);
}

Status ReadStateHeader(StateDecoder& in, std::string_view kind, uint32_t version,
                       std::string_view schema) {
  std::string_view written_kind;
  SLUICE_RETURN_IF_ERROR(in.Bytes(&written_kind));
  if (written_kind != kind) {
    return Status::DecodeError(in.what() + ": the state was written by " +
                               std::string(written_kind.substr(0, 64)) + ", not " +
                               std::string(kind));
  }
  uint32_t written_version = 0;
  SLUICE_RETURN_IF_ERROR(in.U32(&written_version));
  if (written_version != version) {
    return Status::DecodeError(in.what() + ": state format version " +
                               std::to_string(written_version) + ", this build reads version " +
                               std::to_string(version));
  }
  std::string_view written_schema;
  SLUICE_RETURN_IF_ERROR(in.Bytes(&written_schema));
  if (written_schema != schema) {
    return Status::DecodeError(in.what() + ": the state holds " +
                               std::string(written_schema.substr(0, 512)) +
                               ", the operator now computes " + std::string(schema));
  }
  return Status::OK();
}

Status InconsistentState(const StateDecoder& in, const std::string& what) {
  return Status::DecodeError(in.what() + ": corrupt state (" + what + ")");
}

Status ReadStrings(StateDecoder& in, std::vector<uint32_t>* lengths, std::string_view* blob) {
  SLUICE_RETURN_IF_ERROR(in.Pod(lengths));
  SLUICE_RETURN_IF_ERROR(in.Bytes(blob));
  uint64_t total = 0;
  for (uint32_t length : *lengths) total += length;  // < 2^32 * 2^32: cannot overflow
  if (total != blob->size()) return InconsistentState(in, "string lengths do not match the bytes");
  return Status::OK();
}

Status ReadStateTag(StateDecoder& in, uint32_t expected) {
  uint32_t tag = 0;
  SLUICE_RETURN_IF_ERROR(in.U32(&tag));
  if (tag != expected) {
    return Status::DecodeError(in.what() + ": aggregate state of type " + std::to_string(tag) +
                               " where type " + std::to_string(expected) + " was expected");
  }
  return Status::OK();
}

Result<std::string_view> StatePart(const StateSectionsView* part, std::string_view section,
                                   std::string_view kind) {
  if (!part || !part->Has(section)) {
    return Status::DecodeError(std::string(kind) + " state: section '" + std::string(section) +
                               "' is missing");
  }
  return part->Get(section);
}

Status CheckRestoreParts(const OperatorRestore& restore, const OperatorContext* context,
                         std::string_view kind, bool* rescale) {
  const int parallelism = context ? context->parallelism : 1;
  *rescale = restore.old_parallelism != parallelism;
  const size_t expected = *rescale ? static_cast<size_t>(std::max(restore.old_parallelism, 0)) : 1;
  if (restore.parts.size() != expected || expected == 0) {
    return Status::Internal(std::string(kind) + " restore got " +
                            std::to_string(restore.parts.size()) + " parts of state written at " +
                            "parallelism " + std::to_string(restore.old_parallelism) +
                            " for an instance at parallelism " + std::to_string(parallelism));
  }
  return Status::OK();
}

}  // namespace sluice
