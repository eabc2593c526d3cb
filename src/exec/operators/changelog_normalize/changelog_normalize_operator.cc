#include "exec/operators/changelog_normalize/changelog_normalize_operator.h"

#include <algorithm>

#include "exec/operators/changelog_builder.h"
#include "exec/operators/row_compare.h"

namespace sluice {

Result<std::unique_ptr<Operator>> ChangelogNormalizeOperator::Create(
    const ChangelogNormalizeNode& node) {
  const Schema& schema = node.output_schema;
  if (node.keys.empty()) {
    return Status::Internal("ChangelogNormalize needs the primary key columns");
  }
  if (!node.inputs.empty() && node.inputs[0] &&
      node.inputs[0]->output_schema.size() != schema.size()) {
    return Status::Internal("ChangelogNormalize: the output layout must be the input layout");
  }
  std::vector<LogicalType> key_types;
  for (int k : node.keys) {
    if (k < 0 || k >= static_cast<int>(schema.size())) {
      return Status::Internal("ChangelogNormalize: key column " + std::to_string(k) +
                              " is not in the input");
    }
    key_types.push_back(schema[k].type);
  }
  return std::unique_ptr<Operator>(
      new ChangelogNormalizeOperator(schema, GroupKeyCodec(node.keys, std::move(key_types))));
}

ChangelogNormalizeOperator::ChangelogNormalizeOperator(Schema schema, GroupKeyCodec codec)
    : schema_(std::move(schema)),
      codec_(std::move(codec)),
      keys_(codec_.layout()),
      store_(schema_) {}

Status ChangelogNormalizeOperator::OnWatermark(int64_t watermark, Collector& out) {
  if (context_ && context_->metrics) context_->metrics->watermark = watermark;
  return Status::OK();
}

Status ChangelogNormalizeOperator::CheckInput(const Batch& batch) const {
  if (batch.num_columns() != schema_.size()) {
    return Status::Internal("ChangelogNormalize got " + std::to_string(batch.num_columns()) +
                            " columns, expected " + std::to_string(schema_.size()));
  }
  for (size_t c = 0; c < schema_.size(); ++c) {
    if (batch.column(c)->type() != schema_[c].type) {
      return Status::Internal("ChangelogNormalize: column '" + schema_[c].name + "' is " +
                              batch.column(c)->type().ToString() + ", expected " +
                              schema_[c].type.ToString());
    }
  }
  return Status::OK();
}

Status ChangelogNormalizeOperator::Process(Batch batch, Collector& out) {
  const size_t n = batch.num_rows();
  if (n == 0) return Status::OK();
  OperatorMetrics* metrics = context_ ? context_->metrics : nullptr;
  if (metrics) metrics->rows_in += n;
  SLUICE_RETURN_IF_ERROR(CheckInput(batch));

  // +I/+U rows may create their key; -U/-D rows of an unknown key find nothing.
  accumulate_.resize(n);
  if (batch.has_row_kinds()) {
    const std::vector<RowKind>& kinds = batch.row_kinds();
    for (size_t i = 0; i < n; ++i) accumulate_[i] = IsAccumulate(kinds[i]);
  } else {
    std::fill(accumulate_.begin(), accumulate_.end(), 1);
  }
  codec_.Encode(batch, &encoded_);
  groups_.resize(n);
  created_.clear();
  keys_.FindOrInsert(encoded_, nullptr, n, accumulate_.data(), groups_.data(), &created_);
  const size_t limit = keys_.group_limit();
  if (cursor_.size() < limit) {
    cursor_.resize(limit, kNoRow);
    is_touched_.resize(limit, 0);
    is_new_.resize(limit, 0);
    is_dirty_.resize(limit, 0);
  }
  store_.Reserve(limit);
  for (uint32_t g : created_) is_new_[g] = 1;

  // Events in row order. A key's current row is its stored row, an earlier row of this batch, or
  // none; a row that is dropped as identical equals the current row, so it may stand for it.
  touched_.clear();
  events_.clear();
  read_slots_.clear();
  state_pair_slots_.clear();
  state_pair_rows_.clear();
  row_pair_before_.clear();
  row_pair_rows_.clear();
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t g = groups_[i];
    if (g == GroupKeyTable::kNoGroup) continue;  // a delete of an unknown key
    if (!is_touched_[g]) {
      is_touched_[g] = 1;
      touched_.push_back(g);
      cursor_[g] = is_new_[g] ? kNoRow : kStoredRow;
      is_dirty_[g] = 0;
    }
    const uint32_t current = cursor_[g];
    if (accumulate_[i]) {
      if (current == kNoRow) {
        events_.push_back({EventKind::kInsert, g, 0, i});
      } else if (current == kStoredRow) {
        events_.push_back(
            {EventKind::kUpdateOfState, g, static_cast<uint32_t>(read_slots_.size()), i});
        read_slots_.push_back(g);
        state_pair_slots_.push_back(g);
        state_pair_rows_.push_back(i);
      } else {
        events_.push_back({EventKind::kUpdateOfRow, g, current, i});
        row_pair_before_.push_back(current);
        row_pair_rows_.push_back(i);
      }
      cursor_[g] = i;
    } else if (current != kNoRow) {
      if (current == kStoredRow) {
        events_.push_back(
            {EventKind::kDeleteState, g, static_cast<uint32_t>(read_slots_.size()), i});
        read_slots_.push_back(g);
      } else {
        events_.push_back({EventKind::kDeleteRow, g, current, i});
      }
      cursor_[g] = kNoRow;
    }
  }

  // Compare updates with the rows they replace, a column at a time.
  const size_t state_pairs = state_pair_rows_.size();
  const size_t row_pairs = row_pair_rows_.size();
  state_pair_differs_.assign(state_pairs, 0);
  row_pair_differs_.assign(row_pairs, 0);
  for (size_t c = 0; c < schema_.size(); ++c) {
    const Column& column = *batch.column(c);
    if (state_pairs) {
      MarkChangedRows(store_.column(c), state_pair_slots_.data(), column, state_pair_rows_.data(),
                      state_pairs, state_pair_differs_.data());
    }
    if (row_pairs) {
      MarkChangedRows(column, row_pair_before_.data(), column, row_pair_rows_.data(), row_pairs,
                      row_pair_differs_.data());
    }
  }

  // The output: stored rows (read before the state changes) and rows of this batch. Without
  // stored rows `before` has no columns, so the output is gathered from the batch alone.
  const Batch before =
      read_slots_.empty() ? Batch() : store_.Read(read_slots_.data(), read_slots_.size());
  ChangelogBuilder changes;
  size_t state_pair = 0, row_pair = 0;
  for (const Event& e : events_) {
    switch (e.kind) {
      case EventKind::kInsert:
        changes.AddAfter(RowKind::kInsert, e.row);
        is_dirty_[e.group] = 1;
        break;
      case EventKind::kUpdateOfState:
        if (state_pair_differs_[state_pair++]) {
          changes.AddBefore(RowKind::kUpdateBefore, e.a);
          changes.AddAfter(RowKind::kUpdateAfter, e.row);
          is_dirty_[e.group] = 1;
        }
        break;
      case EventKind::kUpdateOfRow:
        if (row_pair_differs_[row_pair++]) {
          changes.AddAfter(RowKind::kUpdateBefore, e.a);
          changes.AddAfter(RowKind::kUpdateAfter, e.row);
          is_dirty_[e.group] = 1;
        }
        break;
      case EventKind::kDeleteState:
        changes.AddBefore(RowKind::kDelete, e.a);
        break;
      case EventKind::kDeleteRow:
        changes.AddAfter(RowKind::kDelete, e.a);
        break;
    }
  }

  // The state: each touched key keeps its current row, or is forgotten.
  write_rows_.clear();
  write_slots_.clear();
  release_slots_.clear();
  for (uint32_t g : touched_) {
    const uint32_t current = cursor_[g];
    if (current == kNoRow) {
      if (!is_new_[g]) release_slots_.push_back(g);
      keys_.Erase(g);
    } else if (current != kStoredRow && is_dirty_[g]) {
      write_rows_.push_back(current);
      write_slots_.push_back(g);
    }
    is_touched_[g] = 0;
    is_new_[g] = 0;
  }
  store_.Release(release_slots_.data(), release_slots_.size());
  store_.Write(batch, write_rows_.data(), write_slots_.data(), write_rows_.size());

  if (changes.empty()) return Status::OK();
  batch.set_row_kinds({});  // the output's kinds are the events'
  if (metrics) metrics->rows_out += changes.size();
  return out.Collect(changes.Build(before, batch));
}

}  // namespace sluice
