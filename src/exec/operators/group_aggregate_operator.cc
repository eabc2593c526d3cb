#include "exec/operators/group_aggregate_operator.h"

#include <algorithm>
#include <chrono>

#include "exec/operators/changelog_builder.h"
#include "exec/operators/row_compare.h"
#include "types/time_format.h"

namespace sluice {

Result<std::unique_ptr<Operator>> GroupAggregateOperator::Create(const GroupAggregateNode& node) {
  // Retraction-capable state only when rows can be retracted (a hand-built node without an
  // input is assumed to be updating).
  const bool retractable = node.inputs.empty() || !node.inputs[0] ||
                           node.inputs[0]->changelog == ChangelogMode::kUpdating;
  SLUICE_ASSIGN_OR_RETURN(
      AggregateLayout layout,
      AggregateLayout::Make(node.group_keys, node.aggregates, node.output_schema,
                            /*trailing_columns=*/0, retractable));
  return std::unique_ptr<Operator>(new GroupAggregateOperator(std::move(layout), retractable));
}

GroupAggregateOperator::GroupAggregateOperator(AggregateLayout layout, bool retractable)
    : layout_(std::move(layout)),
      retractable_(retractable),
      table_(layout_.key_layout(), layout_.prototypes()) {}

Status GroupAggregateOperator::Open(OperatorContext& context) {
  context_ = &context;
  if (context.session) {
    if (std::optional<std::string> ttl = context.session->Get("table.exec.state.ttl")) {
      Result<int64_t> micros = ParseDuration(*ttl);
      if (!micros.ok()) return micros.status().WithContext("'table.exec.state.ttl'");
      if (*micros < 0) return Status::InvalidOption("'table.exec.state.ttl' must not be negative");
      // Whole seconds, rounded up: a TTL never expires state early.
      ttl_seconds_ = (*micros + kMicrosPerSecond - 1) / kMicrosPerSecond;
    }
  }
  if (!now_seconds_) {
    now_seconds_ = [] {
      return std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
  }
  return Status::OK();
}

void GroupAggregateOperator::SizeGroupArrays() {
  const size_t limit = table_.keys().group_limit();
  if (record_counts_.size() < limit) {
    record_counts_.resize(limit, 0);
    is_touched_.resize(limit, 0);
    is_new_.resize(limit, 0);
  }
  // Groups without a recorded write (state restored from a run without TTL) start their TTL now.
  if (ttl_seconds_ > 0 && last_writes_.size() < limit) {
    last_writes_.resize(limit, static_cast<uint32_t>(now_seconds_()));
  }
}

void GroupAggregateOperator::DropExpiredGroups(uint32_t now, size_t rows) {
  auto expired = [&](uint32_t g) {
    return table_.keys().IsLive(g) &&
           static_cast<int64_t>(now) - static_cast<int64_t>(last_writes_[g]) >= ttl_seconds_;
  };
  // The groups this batch would read (found without inserting).
  lookup_only_.assign(rows, 0);
  groups_.resize(rows);
  created_.clear();
  table_.FindOrInsert(keys_, nullptr, rows, lookup_only_.data(), groups_.data(), &created_);
  for (uint32_t g : groups_) {
    if (g != GroupKeyTable::kNoGroup && expired(g)) EraseGroup(g);
  }
  // A slice of all groups, so keys that never come back are dropped too.
  const uint32_t limit = static_cast<uint32_t>(table_.keys().group_limit());
  for (size_t i = 0; i < rows + 1024 && limit > 0; ++i) {
    if (sweep_cursor_ >= limit) sweep_cursor_ = 0;
    if (expired(sweep_cursor_)) EraseGroup(sweep_cursor_);
    ++sweep_cursor_;
  }
}

Status GroupAggregateOperator::OnWatermark(int64_t watermark, Collector& out) {
  if (context_ && context_->metrics) context_->metrics->watermark = watermark;
  return Status::OK();
}

Status GroupAggregateOperator::Process(Batch batch, Collector& out) {
  const size_t n = batch.num_rows();
  if (n == 0) return Status::OK();
  OperatorMetrics* metrics = context_ ? context_->metrics : nullptr;
  if (metrics) metrics->rows_in += n;
  SLUICE_RETURN_IF_ERROR(layout_.CheckInput(batch));

  const bool has_kinds = batch.has_row_kinds();
  if (has_kinds) {
    may_insert_.resize(n);
    retract_.resize(n);
    for (size_t i = 0; i < n; ++i) {
      may_insert_[i] = IsAccumulate(batch.row_kind(i));
      retract_[i] = may_insert_[i] ^ 1;
      if (retract_[i] && !retractable_) {
        return Status::Internal("GroupAggregate received a retraction from an append-only input");
      }
    }
  }

  layout_.codec().Encode(batch, &keys_);
  if (spill_) SLUICE_RETURN_IF_ERROR(EvictAndLoad(n));
  const uint32_t now = ttl_seconds_ > 0 ? static_cast<uint32_t>(now_seconds_()) : 0;
  if (ttl_seconds_ > 0) {
    SizeGroupArrays();
    DropExpiredGroups(now, n);
  }
  groups_.resize(n);
  created_.clear();
  table_.FindOrInsert(keys_, nullptr, n, has_kinds ? may_insert_.data() : nullptr, groups_.data(),
                      &created_);
  SizeGroupArrays();
  for (uint32_t g : created_) {
    record_counts_[g] = 0;
    is_new_[g] = 1;
  }

  // Rows that reach a group (leading retractions of unknown keys do not), and the touched groups
  // in first-touch order.
  rows_.clear();
  row_groups_.clear();
  row_retract_.clear();
  touched_.clear();
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t g = groups_[i];
    if (g == GroupKeyTable::kNoGroup) continue;
    const bool retract = has_kinds && retract_[i];
    rows_.push_back(i);
    row_groups_.push_back(g);
    row_retract_.push_back(retract);
    record_counts_[g] += retract ? -1 : 1;
    if (!is_touched_[g]) {
      is_touched_[g] = 1;
      touched_.push_back(g);
      if (ttl_seconds_ > 0) last_writes_[g] = now;
    }
  }
  if (touched_.empty()) return Status::OK();
  if (spill_) spill_->Touch(table_, touched_);

  const size_t t = touched_.size();
  std::vector<ColumnPtr> before_columns = layout_.codec().Decode(table_.keys(), touched_.data(), t);
  std::vector<ColumnPtr> after_columns = before_columns;
  for (ColumnPtr& c : table_.Finalize(touched_.data(), t)) before_columns.push_back(std::move(c));
  layout_.Arguments(batch, &arguments_);
  table_.Update(arguments_, rows_.data(), row_groups_.data(),
                has_kinds ? row_retract_.data() : nullptr, rows_.size());
  for (ColumnPtr& c : table_.Finalize(touched_.data(), t)) after_columns.push_back(std::move(c));
  const Batch before(std::move(before_columns), t);
  const Batch after(std::move(after_columns), t);

  std::vector<uint8_t> changed(t, 0);
  for (size_t c = layout_.num_keys(); c < before.num_columns(); ++c) {
    MarkChangedRows(*before.column(c), nullptr, *after.column(c), nullptr, t, changed.data());
  }
  ChangelogBuilder changes;
  for (uint32_t i = 0; i < t; ++i) {
    const uint32_t g = touched_[i];
    if (record_counts_[g] <= 0) {
      if (!is_new_[g]) changes.AddBefore(RowKind::kDelete, i);
      EraseGroup(g);
    } else if (is_new_[g]) {
      changes.AddAfter(RowKind::kInsert, i);
    } else if (changed[i]) {
      changes.AddBefore(RowKind::kUpdateBefore, i);
      changes.AddAfter(RowKind::kUpdateAfter, i);
    }
    is_touched_[g] = 0;
    is_new_[g] = 0;
  }
  if (changes.empty()) return Status::OK();
  if (metrics) metrics->rows_out += changes.size();
  return out.Collect(changes.Build(before, after));
}

}  // namespace sluice
