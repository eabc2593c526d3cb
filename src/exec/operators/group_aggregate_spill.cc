// GroupAggregate's spill tier (group_spill.h): eviction and loading around each batch, and
// checkpoints as a RocksDB store handle. Format version 1, section "group_aggregate_rocksdb":
// header, StateHandle.

#include "exec/operators/group_aggregate_operator.h"
#include "exec/operators/state_format.h"

namespace sluice {
namespace {
constexpr uint32_t kSpillFormatVersion = 1;
}  // namespace

Status GroupAggregateOperator::EnableSpill(GroupSpillOptions options) {
  if (table_.size() != 0) return Status::Internal(Name() + ": spill enabled on a used operator");
  SLUICE_ASSIGN_OR_RETURN(spill_, GroupSpill::Open(std::move(options), layout_));
  return Status::OK();
}

GroupExtras GroupAggregateOperator::ExtrasOf(uint32_t group) const {
  GroupExtras extras;
  extras.record_count = record_counts_[group];
  if (group < last_writes_.size()) extras.last_write = last_writes_[group];
  return extras;
}

Status GroupAggregateOperator::EvictAndLoad(size_t rows) {
  SLUICE_RETURN_IF_ERROR(spill_->Evict(&table_, [this](uint32_t g) { return ExtrasOf(g); }));
  return spill_->Load(keys_, rows, &table_, [this](uint32_t g, const GroupExtras& extras) {
    SizeGroupArrays();
    record_counts_[g] = extras.record_count;
    is_new_[g] = 0;
    is_touched_[g] = 0;
    // Stored without TTL (0): its TTL starts now, as for heap state restored without one.
    if (ttl_seconds_ > 0 && extras.last_write != 0) last_writes_[g] = extras.last_write;
  });
}

Status GroupAggregateOperator::SnapshotSpilled(CheckpointId id, StateSections* out) {
  SLUICE_ASSIGN_OR_RETURN(StateHandle handle, spill_->Checkpoint(id, table_, [this](uint32_t g) {
    return ExtrasOf(g);
  }));
  StateEncoder encoder;
  WriteStateHeader(encoder, Name(), kSpillFormatVersion, layout_.StateSchema());
  handle.Encode(&encoder);
  out->push_back({std::string(kGroupSpillSection), encoder.Take()});
  std::string shared;
  for (const std::string& name : handle.SharedFileNames()) {
    shared += handle.shared_dir + "/" + name + "\n";
  }
  out->push_back({std::string(kSharedFilesSection), std::move(shared)});
  return Status::OK();
}

Status GroupAggregateOperator::RestoreSpilled(const OperatorRestore& restore) {
  if (!spill_) {
    return Status::InvalidOption(Name() +
                                 " state was written with 'state.backend' = 'rocksdb': restore it "
                                 "with that backend");
  }
  bool rescale = false;
  SLUICE_RETURN_IF_ERROR(CheckRestoreParts(restore, context_, Name(), &rescale));
  if (rescale) {
    return Status::Unsupported(Name() +
                               ": RocksDB state cannot be rescaled yet: restore it at its old "
                               "parallelism");
  }
  if (table_.size() != 0) return Status::Internal(Name() + ": restore into a used operator");
  SLUICE_ASSIGN_OR_RETURN(std::string_view bytes,
                          StatePart(restore.parts[0], kGroupSpillSection, Name()));
  StateDecoder decoder(bytes, Name() + " state");
  SLUICE_RETURN_IF_ERROR(
      ReadStateHeader(decoder, Name(), kSpillFormatVersion, layout_.StateSchema()));
  SLUICE_ASSIGN_OR_RETURN(StateHandle handle, StateHandle::Decode(&decoder));
  SLUICE_RETURN_IF_ERROR(decoder.Finish());
  return spill_->Restore(handle);
}

}  // namespace sluice
