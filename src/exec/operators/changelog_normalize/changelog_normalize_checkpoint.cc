// ChangelogNormalize checkpoints (docs/design/checkpoints.md §4.1). Format version 1, section
// "changelog_normalize": header, the key table, the row store (slot = the key's group id).

#include <numeric>

#include "exec/operators/changelog_normalize/changelog_normalize_operator.h"
#include "exec/operators/key_routing.h"
#include "exec/operators/state_format.h"

namespace sluice {

namespace {
constexpr uint32_t kFormatVersion = 1;
constexpr std::string_view kSection = "changelog_normalize";
}  // namespace

std::string ChangelogNormalizeOperator::StateSchema() const {
  std::string schema = "keys=[";
  for (size_t k = 0; k < codec_.key_columns().size(); ++k) {
    if (k) schema += ",";
    schema += "$" + std::to_string(codec_.key_columns()[k]);
  }
  schema += "] row=[";
  for (size_t c = 0; c < schema_.size(); ++c) {
    if (c) schema += ",";
    schema += schema_[c].type.ToString();
  }
  return schema + "]";
}

Status ChangelogNormalizeOperator::SnapshotState(CheckpointId id, StateSections* out) {
  StateEncoder encoder;
  encoder.Reserve(1024 + keys_.StateBytes() + store_.StateBytes());
  WriteStateHeader(encoder, Name(), kFormatVersion, StateSchema());
  keys_.WriteState(encoder);
  store_.WriteState(encoder);
  out->push_back({std::string(kSection), encoder.Take()});
  return Status::OK();
}

Status ChangelogNormalizeOperator::ReadPart(const StateSectionsView* part, GroupKeyTable* keys,
                                            RowStore* store) const {
  SLUICE_ASSIGN_OR_RETURN(std::string_view bytes, StatePart(part, kSection, Name()));
  StateDecoder decoder(bytes, Name() + " state");
  SLUICE_RETURN_IF_ERROR(ReadStateHeader(decoder, Name(), kFormatVersion, StateSchema()));
  SLUICE_RETURN_IF_ERROR(keys->ReadState(decoder, codec_));
  SLUICE_RETURN_IF_ERROR(store->ReadState(decoder));
  if (store->num_slots() < keys->group_limit()) {
    return InconsistentState(decoder, "fewer stored rows than keys");
  }
  return decoder.Finish();
}

Status ChangelogNormalizeOperator::RestoreState(const OperatorRestore& restore) {
  bool rescale = false;
  SLUICE_RETURN_IF_ERROR(CheckRestoreParts(restore, context_, Name(), &rescale));
  if (keys_.group_limit() != 0) return Status::Internal(Name() + ": restore into a used operator");
  if (!rescale) {
    SLUICE_RETURN_IF_ERROR(ReadPart(restore.parts[0], &keys_, &store_));
  } else {
    // Every old instance's state; keep the keys that now route here and copy their rows.
    for (const StateSectionsView* part : restore.parts) {
      GroupKeyTable old_keys(codec_.layout());
      RowStore old_store(schema_);
      SLUICE_RETURN_IF_ERROR(ReadPart(part, &old_keys, &old_store));
      const std::vector<uint32_t> kept =
          GroupsRoutedTo(codec_, old_keys, InstanceOf(context_), ParallelismOf(context_));
      std::vector<uint32_t> slots(kept.size());
      for (size_t i = 0; i < kept.size(); ++i) {
        bool created = false;
        slots[i] = keys_.InsertKeyOf(old_keys, kept[i], &created);
      }
      std::vector<uint32_t> rows(kept.size());
      std::iota(rows.begin(), rows.end(), 0u);
      store_.Reserve(keys_.group_limit());
      store_.Write(old_store.Read(kept.data(), kept.size()), rows.data(), slots.data(),
                   slots.size());
    }
  }
  const size_t limit = keys_.group_limit();
  cursor_.assign(limit, kNoRow);
  is_touched_.assign(limit, 0);
  is_new_.assign(limit, 0);
  is_dirty_.assign(limit, 0);
  return Status::OK();
}

}  // namespace sluice
