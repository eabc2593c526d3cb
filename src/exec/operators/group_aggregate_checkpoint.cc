// GroupAggregate checkpoints (docs/design/checkpoints.md §4.1). Format version 1, section
// "group_aggregate": header, AggregateTable (keys + accumulators as they are), record_counts_.

#include "exec/operators/group_aggregate_operator.h"
#include "exec/operators/key_routing.h"
#include "exec/operators/state_format.h"

namespace sluice {

namespace {
constexpr uint32_t kFormatVersion = 1;
constexpr std::string_view kSection = "group_aggregate";
}  // namespace

Status GroupAggregateOperator::SnapshotState(CheckpointId id, StateSections* out) {
  if (spill_) return SnapshotSpilled(id, out);
  StateEncoder encoder;
  encoder.Reserve(1024 + table_.StateBytes() + record_counts_.size() * sizeof(int64_t) +
                  last_writes_.size() * sizeof(uint32_t));
  WriteStateHeader(encoder, Name(), kFormatVersion, layout_.StateSchema());
  table_.WriteState(encoder);
  encoder.Pod(record_counts_);
  encoder.Pod(last_writes_);  // empty without TTL
  out->push_back({std::string(kSection), encoder.Take()});
  return Status::OK();
}

Status GroupAggregateOperator::ReadPart(const StateSectionsView* part, AggregateTable* table,
                                        std::vector<int64_t>* record_counts,
                                        std::vector<uint32_t>* last_writes) const {
  SLUICE_ASSIGN_OR_RETURN(std::string_view bytes, StatePart(part, kSection, Name()));
  StateDecoder decoder(bytes, Name() + " state");
  SLUICE_RETURN_IF_ERROR(ReadStateHeader(decoder, Name(), kFormatVersion, layout_.StateSchema()));
  SLUICE_RETURN_IF_ERROR(table->ReadState(decoder, layout_.codec()));
  SLUICE_RETURN_IF_ERROR(decoder.Pod(record_counts));
  SLUICE_RETURN_IF_ERROR(decoder.Pod(last_writes));
  if (record_counts->size() < table->keys().group_limit()) {
    return InconsistentState(decoder, "fewer record counts than groups");
  }
  // Written without TTL, or for fewer groups than there are: those start their TTL on restore.
  if (last_writes->size() > record_counts->size()) {
    return InconsistentState(decoder, "more last writes than groups");
  }
  return decoder.Finish();
}

Status GroupAggregateOperator::RestoreState(const OperatorRestore& restore) {
  if (!restore.parts.empty() && restore.parts[0]->Has(kGroupSpillSection)) {
    return RestoreSpilled(restore);
  }
  bool rescale = false;
  SLUICE_RETURN_IF_ERROR(CheckRestoreParts(restore, context_, Name(), &rescale));
  if (table_.size() != 0) return Status::Internal(Name() + ": restore into a used operator");
  if (!rescale) {
    SLUICE_RETURN_IF_ERROR(ReadPart(restore.parts[0], &table_, &record_counts_, &last_writes_));
  } else {
    // Every old instance's state; keep the keys that now route here.
    std::vector<uint32_t> groups;
    for (const StateSectionsView* part : restore.parts) {
      AggregateTable old_table(layout_.key_layout(), layout_.prototypes());
      std::vector<int64_t> old_counts;
      std::vector<uint32_t> old_writes;
      SLUICE_RETURN_IF_ERROR(ReadPart(part, &old_table, &old_counts, &old_writes));
      const std::vector<uint32_t> kept = GroupsRoutedTo(
          layout_.codec(), old_table.keys(), InstanceOf(context_), ParallelismOf(context_));
      table_.MergeGroupsFrom(old_table, kept, &groups);
      record_counts_.resize(table_.keys().group_limit(), 0);
      for (size_t i = 0; i < kept.size(); ++i) record_counts_[groups[i]] += old_counts[kept[i]];
      if (!old_writes.empty()) {
        last_writes_.resize(record_counts_.size(), 0);
        for (size_t i = 0; i < kept.size(); ++i) {
          if (kept[i] < old_writes.size()) last_writes_[groups[i]] = old_writes[kept[i]];
        }
      }
    }
  }
  is_touched_.assign(record_counts_.size(), 0);
  is_new_.assign(record_counts_.size(), 0);
  if (ttl_seconds_ == 0) {
    last_writes_.clear();
  } else if (last_writes_.size() < record_counts_.size()) {
    last_writes_.resize(record_counts_.size(), static_cast<uint32_t>(now_seconds_()));
  }
  return Status::OK();
}

}  // namespace sluice
