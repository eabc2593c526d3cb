#include "exec/operators/slicing_window_operator.h"

#include <algorithm>
#include <numeric>

#include "exec/operators/changelog_builder.h"
#include "exec/operators/row_compare.h"
#include "exec/operators/window_input.h"

namespace sluice {

namespace {

// ends[i] = end of the slice holding to_window_time(times[i]); returns whether all rows share one
// slice. Consecutive rows mostly fall into the slice of the row before, which skips the division.
template <typename ToWindowTime>
bool AssignSliceEnds(const SliceAssigner& assigner, const int64_t* times, size_t rows,
                     const ToWindowTime& to_window_time, int64_t* ends) {
  const int64_t width = assigner.slice_width();
  int64_t start = 1;  // [start, end) is empty until the first row
  int64_t end = 0;
  bool one_slice = true;
  for (size_t i = 0; i < rows; ++i) {
    const int64_t t = to_window_time(times[i]);
    if (t < start || t >= end) {
      one_slice &= i == 0;
      end = assigner.SliceEnd(t);
      start = end - width;
    }
    ends[i] = end;
  }
  return one_slice;
}

}  // namespace

Result<std::unique_ptr<Operator>> SlicingWindowOperator::Create(const WindowAggregateNode& node) {
  SLUICE_ASSIGN_OR_RETURN(SliceAssigner assigner, SliceAssigner::Make(node.window));
  SLUICE_ASSIGN_OR_RETURN(AggregateLayout layout,
                          AggregateLayout::Make(node.group_keys, node.aggregates,
                                                node.output_schema, /*trailing_columns=*/3,
                                                /*retractable=*/false));
  if (node.allowed_lateness_micros < 0) {
    return Status::InvalidArgument("allowed lateness must not be negative");
  }
  return std::unique_ptr<Operator>(
      new SlicingWindowOperator(node, std::move(layout), std::move(assigner)));
}

SlicingWindowOperator::SlicingWindowOperator(const WindowAggregateNode& node,
                                             AggregateLayout layout, SliceAssigner assigner)
    : id_(node.id),
      kind_(node.window.kind),
      window_shape_(node.window.ToString()),
      time_column_(node.window.time_column),
      time_is_ltz_(node.window.time_is_ltz),
      allowed_lateness_(node.allowed_lateness_micros),
      output_schema_(node.output_schema),
      layout_(std::move(layout)),
      assigner_(assigner) {
  if (!node.inputs.empty() && node.inputs[0]) input_schema_ = node.inputs[0]->output_schema;
}

std::string SlicingWindowOperator::Name() const {
  switch (kind_) {
    case WindowKind::kHop:
      return "HopWindow";
    case WindowKind::kCumulate:
      return "CumulateWindow";
    default:
      return "TumbleWindow";
  }
}

Status SlicingWindowOperator::Open(OperatorContext& context) {
  context_ = &context;
  clock_ = WindowClock(time_is_ltz_,
                       context.session ? context.session->LocalTimeZone() : TimeZone::Utc());
  return Status::OK();
}

Status SlicingWindowOperator::Process(Batch batch, Collector& out) {
  const size_t rows = batch.num_rows();
  if (rows == 0) return Status::OK();
  if (OperatorMetrics* m = metrics()) m->rows_in += rows;
  SLUICE_RETURN_IF_ERROR(CheckWindowInput(batch, time_column_));
  SLUICE_RETURN_IF_ERROR(layout_.CheckInput(batch));

  const Column& time = *batch.column(time_column_);
  const int64_t* event_times = time.data<int64_t>();
  const uint8_t* valid = time.validity();
  slice_ends_.resize(rows);
  const bool one_slice =
      clock_.is_ltz()
          ? AssignSliceEnds(
                assigner_, event_times, rows, [&](int64_t t) { return clock_.ToWindowTime(t); },
                slice_ends_.data())
          : AssignSliceEnds(
                assigner_, event_times, rows, [](int64_t t) { return t; }, slice_ends_.data());

  accepted_.clear();
  late_.clear();
  if (!valid && one_slice && !Expired(assigner_.LastWindowEnd(slice_ends_[0]))) {
    accepted_.resize(rows);  // the common case: one slice, nothing late
    std::iota(accepted_.begin(), accepted_.end(), 0u);
  } else {
    // Split rows into late ones and the rest.
    bool have_cached = false;
    int64_t cached_end = 0;
    bool cached_late = false;
    for (uint32_t i = 0; i < rows; ++i) {
      if (valid && !valid[i]) {
        late_.push_back(i);
        continue;
      }
      const int64_t end = slice_ends_[i];
      if (!have_cached || end != cached_end) {
        have_cached = true;
        cached_end = end;
        cached_late = Expired(assigner_.LastWindowEnd(end));
      }
      (cached_late ? late_ : accepted_).push_back(i);
    }
  }
  if (!one_slice) {
    std::stable_sort(accepted_.begin(), accepted_.end(),
                     [&](uint32_t a, uint32_t b) { return slice_ends_[a] < slice_ends_[b]; });
  }

  if (!accepted_.empty()) {
    layout_.codec().Encode(batch, &keys_);
    layout_.Arguments(batch, &arguments_);
    groups_.resize(accepted_.size());
    for (size_t begin = 0; begin < accepted_.size();) {
      const int64_t end = slice_ends_[accepted_[begin]];
      size_t stop = begin + 1;
      while (stop < accepted_.size() && slice_ends_[accepted_[stop]] == end) ++stop;
      AggregateTable& slice = SliceFor(end);
      slice.FindOrInsert(keys_, &accepted_[begin], stop - begin, nullptr, &groups_[begin]);
      slice.Update(arguments_, &accepted_[begin], &groups_[begin], nullptr, stop - begin);
      if (allowed_lateness_ > 0) MarkRefires(end);
      begin = stop;
    }
  }
  return ReportLateRows(context_, id_, input_schema_, batch, late_, watermark_);
}

AggregateTable& SlicingWindowOperator::SliceFor(int64_t slice_end) {
  auto it = slices_.find(slice_end);
  if (it != slices_.end()) return *it->second;
  assigner_.WindowEndsOfSlice(slice_end, &ends_);
  for (int64_t window_end : ends_) {
    if (!Expired(window_end) && !fired_.count(window_end)) pending_.insert(window_end);
  }
  auto table = std::make_unique<AggregateTable>(layout_.key_layout(), layout_.prototypes());
  return *slices_.emplace(slice_end, std::move(table)).first->second;
}

void SlicingWindowOperator::MarkRefires(int64_t slice_end) {
  if (fired_.empty() || clock_.TriggerTime(assigner_.FirstWindowEnd(slice_end)) > watermark_) {
    return;  // none of the slice's windows has fired
  }
  assigner_.WindowEndsOfSlice(slice_end, &ends_);
  for (int64_t window_end : ends_) {
    if (fired_.count(window_end)) refire_.insert(window_end);
  }
}

Status SlicingWindowOperator::OnWatermark(int64_t watermark, Collector& out) {
  if (watermark <= watermark_) return Status::OK();
  watermark_ = watermark;
  if (OperatorMetrics* m = metrics()) m->watermark = watermark;

  // Due windows by end: first firings from pending_, then re-firings, merged in end order.
  std::vector<std::pair<int64_t, bool>> due;  // (window end, is a re-fire)
  while (!pending_.empty() && clock_.TriggerTime(*pending_.begin()) <= watermark) {
    due.emplace_back(*pending_.begin(), false);
    pending_.erase(pending_.begin());
  }
  for (int64_t window_end : refire_) due.emplace_back(window_end, true);
  refire_.clear();
  std::sort(due.begin(), due.end());
  for (const auto& [window_end, refire] : due) {
    SLUICE_RETURN_IF_ERROR(FireWindow(window_end, refire, out));
  }

  while (!fired_.empty() && Expired(fired_.begin()->first)) fired_.erase(fired_.begin());
  while (!slices_.empty() && Expired(assigner_.LastWindowEnd(slices_.begin()->first))) {
    slices_.erase(slices_.begin());
  }
  return output_.Flush(out, metrics());
}

Status SlicingWindowOperator::Finish(Collector& out) {
  if (watermark_ < kMaxWatermark) SLUICE_RETURN_IF_ERROR(OnWatermark(kMaxWatermark, out));
  return output_.Flush(out, metrics());
}

Status SlicingWindowOperator::FireWindow(int64_t window_end, bool refire, Collector& out) {
  std::unique_ptr<AggregateTable> merged;
  AggregateTable* result = nullptr;
  if (kind_ == WindowKind::kTumble) {
    auto it = slices_.find(window_end);
    if (it == slices_.end()) return Status::OK();
    result = it->second.get();
  } else {
    merged = std::make_unique<AggregateTable>(layout_.key_layout(), layout_.prototypes());
    assigner_.SliceEndsOfWindow(window_end, &ends_);
    for (int64_t slice_end : ends_) {
      auto it = slices_.find(slice_end);
      if (it != slices_.end()) merged->MergeFrom(*it->second);
    }
    result = merged.get();
  }
  if (result->size() == 0) return Status::OK();

  const std::vector<uint32_t> groups = result->LiveGroups();
  Batch rows = ResultRows(*result, groups, window_end);
  if (refire) {
    SLUICE_RETURN_IF_ERROR(EmitUpdates(*fired_.at(window_end), *result, groups, rows, out));
  } else {
    SLUICE_RETURN_IF_ERROR(output_.Add(std::move(rows), out, metrics()));
  }
  if (allowed_lateness_ > 0 && !Expired(window_end)) {
    fired_[window_end] = merged ? std::move(merged) : result->Clone();
  }
  return Status::OK();
}

Batch SlicingWindowOperator::ResultRows(AggregateTable& table, const std::vector<uint32_t>& groups,
                                        int64_t window_end) {
  const size_t n = groups.size();
  std::vector<ColumnPtr> columns = layout_.codec().Decode(table.keys(), groups.data(), n);
  for (ColumnPtr& column : table.Finalize(groups.data(), n)) columns.push_back(std::move(column));
  const std::vector<int64_t> starts(n, assigner_.WindowStart(window_end));
  const std::vector<int64_t> ends(n, window_end);
  clock_.AppendWindowColumns(output_schema_, starts.data(), ends.data(), n, &columns);
  return Batch(std::move(columns), n);
}

Status SlicingWindowOperator::EmitUpdates(AggregateTable& previous, const AggregateTable& current,
                                          const std::vector<uint32_t>& groups, const Batch& after,
                                          Collector& out) {
  // Pair each current key with its previous result.
  std::vector<uint32_t> matched_rows;  // rows of `after`
  std::vector<uint32_t> previous_groups;
  for (uint32_t i = 0; i < groups.size(); ++i) {
    const uint32_t g = previous.keys().FindKeyOf(current.keys(), groups[i]);
    if (g == GroupKeyTable::kNoGroup) continue;
    matched_rows.push_back(i);
    previous_groups.push_back(g);
  }
  const size_t matched = matched_rows.size();
  const size_t num_keys = layout_.num_keys();
  std::vector<ColumnPtr> old_results = previous.Finalize(previous_groups.data(), matched);
  std::vector<uint8_t> changed(matched, 0);
  for (size_t j = 0; j < old_results.size(); ++j) {
    MarkChangedRows(*old_results[j], nullptr, *after.column(num_keys + j), matched_rows.data(),
                    matched, changed.data());
  }
  // The previous rows: same keys and window columns, old aggregate values.
  std::vector<ColumnPtr> before_columns;
  for (size_t c = 0; c < after.num_columns(); ++c) {
    const bool is_aggregate = c >= num_keys && c < num_keys + old_results.size();
    before_columns.push_back(is_aggregate ? old_results[c - num_keys]
                                          : after.column(c)->Gather(matched_rows.data(), matched));
  }
  const Batch before(std::move(before_columns), matched);

  ChangelogBuilder changes;
  size_t j = 0;
  for (uint32_t i = 0; i < groups.size(); ++i) {
    if (j < matched && matched_rows[j] == i) {
      if (changed[j]) {
        changes.AddBefore(RowKind::kUpdateBefore, static_cast<uint32_t>(j));
        changes.AddAfter(RowKind::kUpdateAfter, i);
      }
      ++j;
    } else {
      changes.AddAfter(RowKind::kInsert, i);
    }
  }
  if (changes.empty()) return Status::OK();
  return output_.Add(changes.Build(before, after), out, metrics());
}

}  // namespace sluice
