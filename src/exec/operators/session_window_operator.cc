#include "exec/operators/session_window_operator.h"

#include <algorithm>

#include "exec/operators/changelog_builder.h"
#include "exec/operators/row_compare.h"
#include "exec/operators/window_input.h"

namespace sluice {

Result<std::unique_ptr<Operator>> SessionWindowOperator::Create(const WindowAggregateNode& node) {
  if (node.window.kind != WindowKind::kSession) {
    return Status::Internal("SessionWindowOperator needs a SESSION window");
  }
  if (node.window.gap_micros <= 0) return Status::InvalidArgument("SESSION gap must be positive");
  if (node.allowed_lateness_micros < 0) {
    return Status::InvalidArgument("allowed lateness must not be negative");
  }
  SLUICE_ASSIGN_OR_RETURN(AggregateLayout layout,
                          AggregateLayout::Make(node.group_keys, node.aggregates,
                                                node.output_schema, /*trailing_columns=*/3,
                                                /*retractable=*/false));
  return std::unique_ptr<Operator>(new SessionWindowOperator(node, std::move(layout)));
}

SessionWindowOperator::SessionWindowOperator(const WindowAggregateNode& node,
                                             AggregateLayout layout)
    : id_(node.id),
      window_shape_(node.window.ToString()),
      time_column_(node.window.time_column),
      time_is_ltz_(node.window.time_is_ltz),
      gap_(node.window.gap_micros),
      allowed_lateness_(node.allowed_lateness_micros),
      output_schema_(node.output_schema),
      layout_(std::move(layout)),
      keys_(layout_.key_layout()) {
  if (!node.inputs.empty() && node.inputs[0]) input_schema_ = node.inputs[0]->output_schema;
  for (const auto& prototype : layout_.prototypes()) {
    states_.push_back(prototype->CloneEmpty());
    snapshots_.push_back(prototype->CloneEmpty());
  }
}

Status SessionWindowOperator::Open(OperatorContext& context) {
  context_ = &context;
  clock_ = WindowClock(time_is_ltz_,
                       context.session ? context.session->LocalTimeZone() : TimeZone::Utc());
  return Status::OK();
}

Status SessionWindowOperator::Process(Batch batch, Collector& out) {
  const size_t rows = batch.num_rows();
  if (rows == 0) return Status::OK();
  if (OperatorMetrics* m = metrics()) m->rows_in += rows;
  SLUICE_RETURN_IF_ERROR(CheckWindowInput(batch, time_column_));
  SLUICE_RETURN_IF_ERROR(layout_.CheckInput(batch));

  const Column& time = *batch.column(time_column_);
  const int64_t* event_times = time.data<int64_t>();
  const uint8_t* valid = time.validity();
  valid_rows_.clear();
  late_.clear();
  for (uint32_t i = 0; i < rows; ++i) {
    if (valid && !valid[i]) {
      late_.push_back(i);
    } else {
      valid_rows_.push_back(i);
    }
  }

  layout_.codec().Encode(batch, &encoded_);
  row_keys_.resize(valid_rows_.size());
  created_keys_.clear();
  keys_.FindOrInsert(encoded_, valid_rows_.data(), valid_rows_.size(), nullptr, row_keys_.data(),
                     &created_keys_);
  if (key_head_.size() < keys_.group_limit()) key_head_.resize(keys_.group_limit(), kNone);

  // Assigning rows to sessions is inherently sequential: each row may merge sessions.
  accepted_.clear();
  row_sessions_.clear();
  touched_.clear();
  const bool had_late = !late_.empty();
  for (size_t j = 0; j < valid_rows_.size(); ++j) {
    const uint32_t row = valid_rows_[j];
    const int64_t start = clock_.ToWindowTime(event_times[row]);
    const uint32_t session = Assign(row_keys_[j], start, SaturatingAdd(start, gap_));
    if (session == kNone) {
      late_.push_back(row);
    } else {
      accepted_.push_back(row);
      row_sessions_.push_back(session);
    }
  }
  // Rows assigned to a session that a later row merged away go to the merged session.
  for (uint32_t& session : row_sessions_) {
    while (merged_into_[session] != kNone) session = merged_into_[session];
  }
  if (!accepted_.empty()) {
    layout_.Arguments(batch, &arguments_);
    for (size_t j = 0; j < states_.size(); ++j) {
      states_[j]->Update(arguments_[j], accepted_.data(), row_sessions_.data(), nullptr,
                         accepted_.size());
    }
  }
  for (uint32_t session : touched_) {
    Session& s = sessions_[session];
    if (!s.live || (s.index == Index::kDue && s.indexed_end == s.end)) continue;
    Unindex(session);
    due_.insert({s.end, s.key, session});
    s.index = Index::kDue;
    s.indexed_end = s.end;
  }
  for (uint32_t session : released_) {
    merged_into_[session] = kNone;
    free_sessions_.push_back(session);
    for (auto& state : states_) state->Clear(&session, 1);
  }
  released_.clear();
  // Keys seen only in late rows hold no session.
  for (uint32_t key : created_keys_) {
    if (key_head_[key] == kNone) keys_.Erase(key);
  }
  if (had_late) std::sort(late_.begin(), late_.end());  // NULL-time rows were listed first
  return ReportLateRows(context_, id_, input_schema_, batch, late_, watermark_);
}

uint32_t SessionWindowOperator::Assign(uint32_t key, int64_t start, int64_t end) {
  uint32_t target = kNone;
  for (uint32_t s = key_head_[key]; s != kNone;) {
    const Session& session = sessions_[s];
    const uint32_t next = session.next;
    if (session.start > end) break;
    if (session.end >= start) {
      if (target == kNone) {
        target = s;
      } else {
        MergeSession(s, target);
      }
    }
    s = next;
  }
  if (target == kNone) {
    if (Expired(end)) return kNone;
    return NewSession(key, start, end);
  }
  Session& session = sessions_[target];
  session.start = std::min(session.start, start);
  session.end = std::max(session.end, end);
  session.clean = false;
  touched_.push_back(target);
  return target;
}

uint32_t SessionWindowOperator::NewSession(uint32_t key, int64_t start, int64_t end) {
  uint32_t id;
  if (!free_sessions_.empty()) {
    id = free_sessions_.back();
    free_sessions_.pop_back();
    for (auto& state : states_) state->Clear(&id, 1);
  } else {
    id = static_cast<uint32_t>(sessions_.size());
    sessions_.emplace_back();
    merged_into_.push_back(kNone);
    for (auto& state : states_) state->Resize(sessions_.size());
  }
  Session& session = sessions_[id];
  session = Session();
  session.start = start;
  session.end = end;
  session.key = key;
  session.live = true;
  // Keep the key's sessions sorted by start.
  uint32_t previous = kNone;
  uint32_t current = key_head_[key];
  while (current != kNone && sessions_[current].start < start) {
    previous = current;
    current = sessions_[current].next;
  }
  session.next = current;
  if (previous == kNone) {
    key_head_[key] = id;
  } else {
    sessions_[previous].next = id;
  }
  touched_.push_back(id);
  return id;
}

void SessionWindowOperator::MergeSession(uint32_t from, uint32_t into) {
  Session& source = sessions_[from];
  Session& target = sessions_[into];
  target.start = std::min(target.start, source.start);
  target.end = std::max(target.end, source.end);
  for (auto& state : states_) state->Merge(*state, &from, &into, 1);
  target.emitted.insert(target.emitted.end(), source.emitted.begin(), source.emitted.end());
  source.emitted.clear();
  target.clean = false;
  touched_.push_back(into);
  Unindex(from);
  Unlink(from);
  source.live = false;
  merged_into_[from] = into;
  released_.push_back(from);
}

void SessionWindowOperator::Unindex(uint32_t session) {
  Session& s = sessions_[session];
  if (s.index == Index::kDue) due_.erase({s.indexed_end, s.key, session});
  if (s.index == Index::kExpiry) expiry_.erase({s.indexed_end, s.key, session});
  s.index = Index::kNone;
}

void SessionWindowOperator::Unlink(uint32_t session) {
  Session& s = sessions_[session];
  if (key_head_[s.key] == session) {
    key_head_[s.key] = s.next;
  } else {
    uint32_t previous = key_head_[s.key];
    while (sessions_[previous].next != session) previous = sessions_[previous].next;
    sessions_[previous].next = s.next;
  }
  s.next = kNone;
}

void SessionWindowOperator::FreeSession(uint32_t session) {
  Session& s = sessions_[session];
  Unindex(session);
  Unlink(session);
  ReleaseEmitted(s);
  s.live = false;
  free_sessions_.push_back(session);
  for (auto& state : states_) state->Clear(&session, 1);
  if (key_head_[s.key] == kNone) keys_.Erase(s.key);
}

void SessionWindowOperator::ReleaseEmitted(Session& session) {
  for (const Emitted& e : session.emitted) {
    free_snapshots_.push_back(e.snapshot);
    for (auto& state : snapshots_) state->Clear(&e.snapshot, 1);
  }
  std::vector<Emitted>().swap(session.emitted);
}

void SessionWindowOperator::ReleaseStorageIfEmpty() {
  if (sessions_.empty() || free_sessions_.size() != sessions_.size()) return;
  // No session is live, so no key and no emitted result is left either.
  keys_ = GroupKeyTable(layout_.key_layout());
  std::vector<uint32_t>().swap(key_head_);
  std::vector<Session>().swap(sessions_);
  std::vector<uint32_t>().swap(free_sessions_);
  std::vector<uint32_t>().swap(merged_into_);
  snapshot_slots_ = 0;
  std::vector<uint32_t>().swap(free_snapshots_);
  for (size_t j = 0; j < states_.size(); ++j) {
    states_[j] = layout_.prototypes()[j]->CloneEmpty();
    snapshots_[j] = layout_.prototypes()[j]->CloneEmpty();
  }
}

uint32_t SessionWindowOperator::Snapshot(uint32_t session) {
  uint32_t slot;
  if (!free_snapshots_.empty()) {
    slot = free_snapshots_.back();
    free_snapshots_.pop_back();
    for (auto& state : snapshots_) state->Clear(&slot, 1);
  } else {
    slot = static_cast<uint32_t>(snapshot_slots_++);
    for (auto& state : snapshots_) state->Resize(snapshot_slots_);
  }
  for (size_t j = 0; j < states_.size(); ++j) snapshots_[j]->Merge(*states_[j], &session, &slot, 1);
  return slot;
}

Status SessionWindowOperator::OnWatermark(int64_t watermark, Collector& out) {
  if (watermark <= watermark_) return Status::OK();
  watermark_ = watermark;
  if (OperatorMetrics* m = metrics()) m->watermark = watermark;

  std::vector<uint32_t> firing;  // by end, then key
  while (!due_.empty()) {
    const auto [end, key, session] = *due_.begin();
    if (clock_.TriggerTime(end) > watermark) break;
    due_.erase(due_.begin());
    sessions_[session].index = Index::kNone;
    firing.push_back(session);
  }
  if (!firing.empty()) SLUICE_RETURN_IF_ERROR(Emit(firing, out));
  for (uint32_t session : firing) {
    Session& s = sessions_[session];
    s.clean = true;
    ReleaseEmitted(s);
    if (allowed_lateness_ > 0 && !Expired(s.end)) {
      const uint32_t snapshot = Snapshot(session);
      sessions_[session].emitted.push_back({snapshot, s.start, s.end});
      expiry_.insert({s.end, s.key, session});
      s.index = Index::kExpiry;
      s.indexed_end = s.end;
    } else {
      FreeSession(session);
    }
  }
  while (!expiry_.empty() && Expired(std::get<0>(*expiry_.begin()))) {
    FreeSession(std::get<2>(*expiry_.begin()));
  }
  ReleaseStorageIfEmpty();
  return output_.Flush(out, metrics());
}

Status SessionWindowOperator::Finish(Collector& out) {
  if (watermark_ < kMaxWatermark) SLUICE_RETURN_IF_ERROR(OnWatermark(kMaxWatermark, out));
  return output_.Flush(out, metrics());
}

Status SessionWindowOperator::Emit(const std::vector<uint32_t>& firing, Collector& out) {
  const size_t n = firing.size();
  std::vector<uint32_t> keys(n);
  std::vector<int64_t> starts(n);
  std::vector<int64_t> ends(n);
  size_t previous_results = 0;
  for (size_t i = 0; i < n; ++i) {
    const Session& s = sessions_[firing[i]];
    keys[i] = s.key;
    starts[i] = s.start;
    ends[i] = s.end;
    previous_results += s.emitted.size();
  }
  std::vector<ColumnPtr> columns = layout_.codec().Decode(keys_, keys.data(), n);
  for (auto& state : states_) columns.push_back(state->Finalize(firing.data(), n));
  clock_.AppendWindowColumns(output_schema_, starts.data(), ends.data(), n, &columns);
  Batch after(std::move(columns), n);
  if (previous_results == 0) return output_.Add(std::move(after), out, metrics());

  // Re-fires: lay out every previously emitted result, then retract what changed.
  std::vector<uint32_t> before_keys;
  std::vector<uint32_t> before_slots;
  std::vector<int64_t> before_starts;
  std::vector<int64_t> before_ends;
  std::vector<uint32_t> first_before(n);
  std::vector<uint32_t> pair_before;  // sessions with exactly one previous result
  std::vector<uint32_t> pair_after;
  std::vector<uint8_t> changed;
  for (size_t i = 0; i < n; ++i) {
    const Session& s = sessions_[firing[i]];
    first_before[i] = static_cast<uint32_t>(before_slots.size());
    if (s.emitted.size() == 1) {
      pair_before.push_back(first_before[i]);
      pair_after.push_back(static_cast<uint32_t>(i));
      changed.push_back(s.emitted[0].start != s.start || s.emitted[0].end != s.end);
    }
    for (const Emitted& e : s.emitted) {
      before_keys.push_back(s.key);
      before_slots.push_back(e.snapshot);
      before_starts.push_back(e.start);
      before_ends.push_back(e.end);
    }
  }
  const size_t m = before_slots.size();
  std::vector<ColumnPtr> before_columns = layout_.codec().Decode(keys_, before_keys.data(), m);
  for (auto& state : snapshots_) before_columns.push_back(state->Finalize(before_slots.data(), m));
  clock_.AppendWindowColumns(output_schema_, before_starts.data(), before_ends.data(), m,
                             &before_columns);
  const Batch before(std::move(before_columns), m);
  const size_t num_keys = layout_.num_keys();
  for (size_t j = 0; j < states_.size(); ++j) {
    MarkChangedRows(*before.column(num_keys + j), pair_before.data(), *after.column(num_keys + j),
                    pair_after.data(), pair_after.size(), changed.data());
  }

  ChangelogBuilder changes;
  size_t pair = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const size_t count = sessions_[firing[i]].emitted.size();
    if (count == 0) {
      changes.AddAfter(RowKind::kInsert, i);
      continue;
    }
    if (count == 1 && !changed[pair++]) continue;
    for (size_t k = 1; k < count; ++k) changes.AddBefore(RowKind::kDelete, first_before[i] + k);
    changes.AddBefore(RowKind::kUpdateBefore, first_before[i]);
    changes.AddAfter(RowKind::kUpdateAfter, i);
  }
  if (changes.empty()) return Status::OK();
  return output_.Add(changes.Build(before, after), out, metrics());
}

}  // namespace sluice
