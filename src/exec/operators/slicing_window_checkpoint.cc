// TUMBLE/HOP/CUMULATE checkpoints (docs/design/checkpoints.md §4.1). Format version 1, section
// "window": header, watermark, slices (end + AggregateTable each, by end), pending window ends,
// fired windows' last results (end + AggregateTable), window ends to fire again.

#include <algorithm>

#include "exec/operators/key_routing.h"
#include "exec/operators/slicing_window_operator.h"
#include "exec/operators/state_format.h"

namespace sluice {

namespace {
constexpr uint32_t kFormatVersion = 1;
constexpr std::string_view kSection = "window";

// Ends written in ascending order, each once; a set built from them by appending.
Status ReadEnds(StateDecoder& in, std::set<int64_t>* ends) {
  std::vector<int64_t> values;
  SLUICE_RETURN_IF_ERROR(in.Pod(&values));
  ends->clear();
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0 && values[i] <= values[i - 1]) return InconsistentState(in, "window ends order");
    ends->insert(ends->end(), values[i]);
  }
  return Status::OK();
}

void WriteEnds(const std::set<int64_t>& ends, StateEncoder& out) {
  out.Pod(std::vector<int64_t>(ends.begin(), ends.end()));
}
}  // namespace

struct SlicingWindowOperator::SavedState {
  int64_t watermark = kMinWatermark;
  Tables slices;
  std::set<int64_t> pending;
  Tables fired;
  std::set<int64_t> refire;
};

std::string SlicingWindowOperator::StateSchema() const {
  return layout_.StateSchema() + " window=" + window_shape_;
}

void SlicingWindowOperator::WriteTables(const Tables& tables, StateEncoder& out) const {
  out.U64(tables.size());
  for (const auto& [end, table] : tables) {
    out.I64(end);
    table->WriteState(out);
  }
}

Status SlicingWindowOperator::ReadTables(StateDecoder& in, Tables* tables) const {
  uint64_t count = 0;
  SLUICE_RETURN_IF_ERROR(in.U64(&count));
  for (uint64_t i = 0; i < count; ++i) {
    int64_t end = 0;
    SLUICE_RETURN_IF_ERROR(in.I64(&end));
    if (!tables->empty() && end <= tables->rbegin()->first) {
      return InconsistentState(in, "slice ends order");
    }
    auto table = std::make_unique<AggregateTable>(layout_.key_layout(), layout_.prototypes());
    SLUICE_RETURN_IF_ERROR(table->ReadState(in, layout_.codec()));
    tables->emplace_hint(tables->end(), end, std::move(table));
  }
  return Status::OK();
}

Status SlicingWindowOperator::SnapshotState(CheckpointId id, StateSections* out) {
  StateEncoder encoder;
  size_t bytes = 1024 + (pending_.size() + refire_.size()) * 8;
  for (const Tables* tables : {&slices_, &fired_}) {
    for (const auto& [end, table] : *tables) bytes += 8 + table->StateBytes();
  }
  encoder.Reserve(bytes);
  WriteStateHeader(encoder, Name(), kFormatVersion, StateSchema());
  encoder.I64(watermark_);
  WriteTables(slices_, encoder);
  WriteEnds(pending_, encoder);
  WriteTables(fired_, encoder);
  WriteEnds(refire_, encoder);
  out->push_back({std::string(kSection), encoder.Take()});
  return Status::OK();
}

Status SlicingWindowOperator::ReadPart(const StateSectionsView* part, SavedState* saved) const {
  SLUICE_ASSIGN_OR_RETURN(std::string_view bytes, StatePart(part, kSection, Name()));
  StateDecoder decoder(bytes, Name() + " state");
  SLUICE_RETURN_IF_ERROR(ReadStateHeader(decoder, Name(), kFormatVersion, StateSchema()));
  SLUICE_RETURN_IF_ERROR(decoder.I64(&saved->watermark));
  SLUICE_RETURN_IF_ERROR(ReadTables(decoder, &saved->slices));
  SLUICE_RETURN_IF_ERROR(ReadEnds(decoder, &saved->pending));
  SLUICE_RETURN_IF_ERROR(ReadTables(decoder, &saved->fired));
  SLUICE_RETURN_IF_ERROR(ReadEnds(decoder, &saved->refire));
  // Re-firing reads the window's last result.
  for (int64_t end : saved->refire) {
    if (!saved->fired.count(end)) return InconsistentState(decoder, "re-fire of an unfired window");
  }
  return decoder.Finish();
}

void SlicingWindowOperator::MergeRoutedTables(const Tables& from, Tables* into) const {
  std::vector<uint32_t> groups;
  for (const auto& [end, table] : from) {
    std::unique_ptr<AggregateTable>& target = (*into)[end];
    if (!target) {
      target = std::make_unique<AggregateTable>(layout_.key_layout(), layout_.prototypes());
    }
    const std::vector<uint32_t> kept = GroupsRoutedTo(
        layout_.codec(), table->keys(), InstanceOf(context_), ParallelismOf(context_));
    target->MergeGroupsFrom(*table, kept, &groups);
  }
}

Status SlicingWindowOperator::RestoreState(const OperatorRestore& restore) {
  bool rescale = false;
  SLUICE_RETURN_IF_ERROR(CheckRestoreParts(restore, context_, Name(), &rescale));
  if (!slices_.empty() || !fired_.empty() || watermark_ != kMinWatermark) {
    return Status::Internal(Name() + ": restore into a used operator");
  }
  if (!rescale) {
    SavedState saved;
    SLUICE_RETURN_IF_ERROR(ReadPart(restore.parts[0], &saved));
    watermark_ = saved.watermark;
    slices_ = std::move(saved.slices);
    pending_ = std::move(saved.pending);
    fired_ = std::move(saved.fired);
    refire_ = std::move(saved.refire);
  } else {
    // Old instances saw the same broadcast watermarks; should they differ, the smallest one
    // never turns a row late that its old instance would have accepted.
    watermark_ = kMaxWatermark;
    for (const StateSectionsView* part : restore.parts) {
      SavedState saved;
      SLUICE_RETURN_IF_ERROR(ReadPart(part, &saved));
      watermark_ = std::min(watermark_, saved.watermark);
      MergeRoutedTables(saved.slices, &slices_);
      MergeRoutedTables(saved.fired, &fired_);
      pending_.insert(saved.pending.begin(), saved.pending.end());
      refire_.insert(saved.refire.begin(), saved.refire.end());
    }
  }
  if (OperatorMetrics* m = metrics()) m->watermark = watermark_;
  return Status::OK();
}

}  // namespace sluice
