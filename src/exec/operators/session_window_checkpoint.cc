// SESSION window checkpoints (docs/design/checkpoints.md §4.1). Format version 1, section
// "window": header, watermark, key table, key_head_, the sessions as one array per field, their
// emitted results (count per session, then slot/start/end arrays), free session ids, snapshot
// slot count and free slots, then the session accumulators and the snapshot accumulators.
// due_ and expiry_ are not written: they are rebuilt from each session's index fields.

#include <algorithm>

#include "exec/operators/key_routing.h"
#include "exec/operators/session_window_operator.h"
#include "exec/operators/state_format.h"

namespace sluice {

namespace {
constexpr uint32_t kFormatVersion = 1;
constexpr std::string_view kSection = "window";
// Session flags byte.
constexpr uint8_t kLive = 1;
constexpr uint8_t kClean = 2;
constexpr int kIndexShift = 2;  // two bits: Index
}  // namespace

struct SessionWindowOperator::SavedState {
  explicit SavedState(KeyLayout layout) : keys(layout) {}
  int64_t watermark = kMinWatermark;
  GroupKeyTable keys;
  std::vector<uint32_t> key_head;
  std::vector<Session> sessions;
  std::vector<uint32_t> free_sessions;
  size_t snapshot_slots = 0;
  std::vector<uint32_t> free_snapshots;
  std::vector<std::unique_ptr<AggregateState>> states;
  std::vector<std::unique_ptr<AggregateState>> snapshots;
};

std::string SessionWindowOperator::StateSchema() const {
  return layout_.StateSchema() + " window=" + window_shape_;
}

Status SessionWindowOperator::SnapshotState(CheckpointId id, StateSections* out) {
  StateEncoder encoder;
  size_t bytes = 1024 + keys_.StateBytes() + key_head_.size() * 4 + sessions_.size() * 64 +
                 (free_sessions_.size() + free_snapshots_.size()) * 4;
  for (size_t j = 0; j < states_.size(); ++j) {
    bytes += states_[j]->StateBytes() + snapshots_[j]->StateBytes();
  }
  encoder.Reserve(bytes);
  WriteStateHeader(encoder, Name(), kFormatVersion, StateSchema());
  encoder.I64(watermark_);
  keys_.WriteState(encoder);
  encoder.Pod(key_head_);

  const size_t n = sessions_.size();
  std::vector<int64_t> starts(n), ends(n), indexed_ends(n);
  std::vector<uint32_t> keys(n), nexts(n), emitted_counts(n);
  std::vector<uint8_t> flags(n);
  std::vector<uint32_t> emitted_slots;
  std::vector<int64_t> emitted_starts, emitted_ends;
  for (size_t i = 0; i < n; ++i) {
    const Session& s = sessions_[i];
    starts[i] = s.start;
    ends[i] = s.end;
    indexed_ends[i] = s.indexed_end;
    keys[i] = s.key;
    nexts[i] = s.next;
    flags[i] = (s.live ? kLive : 0) | (s.clean ? kClean : 0) |
               static_cast<uint8_t>(static_cast<uint8_t>(s.index) << kIndexShift);
    emitted_counts[i] = static_cast<uint32_t>(s.emitted.size());
    for (const Emitted& e : s.emitted) {
      emitted_slots.push_back(e.snapshot);
      emitted_starts.push_back(e.start);
      emitted_ends.push_back(e.end);
    }
  }
  encoder.Pod(starts);
  encoder.Pod(ends);
  encoder.Pod(indexed_ends);
  encoder.Pod(keys);
  encoder.Pod(nexts);
  encoder.Pod(flags);
  encoder.Pod(emitted_counts);
  encoder.Pod(emitted_slots);
  encoder.Pod(emitted_starts);
  encoder.Pod(emitted_ends);
  encoder.Pod(free_sessions_);
  encoder.U64(snapshot_slots_);
  encoder.Pod(free_snapshots_);
  encoder.U32(static_cast<uint32_t>(states_.size()));
  for (const auto& state : states_) state->WriteState(encoder);
  for (const auto& state : snapshots_) state->WriteState(encoder);
  out->push_back({std::string(kSection), encoder.Take()});
  return Status::OK();
}

Status SessionWindowOperator::ReadPart(const StateSectionsView* part, SavedState* saved) const {
  SLUICE_ASSIGN_OR_RETURN(std::string_view bytes, StatePart(part, kSection, Name()));
  StateDecoder in(bytes, Name() + " state");
  SLUICE_RETURN_IF_ERROR(ReadStateHeader(in, Name(), kFormatVersion, StateSchema()));
  SLUICE_RETURN_IF_ERROR(in.I64(&saved->watermark));
  SLUICE_RETURN_IF_ERROR(saved->keys.ReadState(in, layout_.codec()));
  SLUICE_RETURN_IF_ERROR(in.Pod(&saved->key_head));

  std::vector<int64_t> starts, ends, indexed_ends, emitted_starts, emitted_ends;
  std::vector<uint32_t> keys, nexts, emitted_counts, emitted_slots;
  std::vector<uint8_t> flags;
  SLUICE_RETURN_IF_ERROR(in.Pod(&starts));
  SLUICE_RETURN_IF_ERROR(in.Pod(&ends));
  SLUICE_RETURN_IF_ERROR(in.Pod(&indexed_ends));
  SLUICE_RETURN_IF_ERROR(in.Pod(&keys));
  SLUICE_RETURN_IF_ERROR(in.Pod(&nexts));
  SLUICE_RETURN_IF_ERROR(in.Pod(&flags));
  SLUICE_RETURN_IF_ERROR(in.Pod(&emitted_counts));
  SLUICE_RETURN_IF_ERROR(in.Pod(&emitted_slots));
  SLUICE_RETURN_IF_ERROR(in.Pod(&emitted_starts));
  SLUICE_RETURN_IF_ERROR(in.Pod(&emitted_ends));
  SLUICE_RETURN_IF_ERROR(in.Pod(&saved->free_sessions));
  uint64_t snapshot_slots = 0;
  SLUICE_RETURN_IF_ERROR(in.U64(&snapshot_slots));
  SLUICE_RETURN_IF_ERROR(in.Pod(&saved->free_snapshots));
  uint32_t num_states = 0;
  SLUICE_RETURN_IF_ERROR(in.U32(&num_states));
  if (num_states != layout_.prototypes().size()) {
    return Status::DecodeError(in.what() + ": " + std::to_string(num_states) +
                               " aggregates stored, the operator computes " +
                               std::to_string(layout_.prototypes().size()));
  }
  for (auto* states : {&saved->states, &saved->snapshots}) {
    for (const auto& prototype : layout_.prototypes()) {
      states->push_back(prototype->CloneEmpty());
      SLUICE_RETURN_IF_ERROR(states->back()->ReadState(in));
    }
  }
  SLUICE_RETURN_IF_ERROR(in.Finish());

  // Shapes: one entry per session in every array, accumulators for every session and slot.
  const size_t n = starts.size();
  if (n >= kNone || ends.size() != n || indexed_ends.size() != n || keys.size() != n ||
      nexts.size() != n || flags.size() != n || emitted_counts.size() != n ||
      emitted_starts.size() != emitted_slots.size() ||
      emitted_ends.size() != emitted_slots.size() || snapshot_slots >= kNone) {
    return InconsistentState(in, "session array sizes");
  }
  for (size_t j = 0; j < num_states; ++j) {
    if (saved->states[j]->groups() != n || saved->snapshots[j]->groups() != snapshot_slots) {
      return InconsistentState(in, "session accumulator array sizes");
    }
  }
  const size_t key_limit = saved->keys.group_limit();
  if (saved->key_head.size() < key_limit) return InconsistentState(in, "session key heads");

  // Sessions, with their emitted results; every snapshot slot used at most once.
  std::vector<uint8_t> slot_used(snapshot_slots, 0);
  for (uint32_t slot : saved->free_snapshots) {
    if (slot >= snapshot_slots || slot_used[slot]) return InconsistentState(in, "free snapshots");
    slot_used[slot] = 1;
  }
  saved->sessions.resize(n);
  size_t next_emitted = 0;
  size_t live_sessions = 0;
  for (size_t i = 0; i < n; ++i) {
    Session& s = saved->sessions[i];
    const uint8_t index = flags[i] >> kIndexShift;
    if (index > static_cast<uint8_t>(Index::kExpiry) ||
        emitted_counts[i] > emitted_slots.size() - next_emitted) {
      return InconsistentState(in, "session flags");
    }
    s.start = starts[i];
    s.end = ends[i];
    s.indexed_end = indexed_ends[i];
    s.key = keys[i];
    s.next = nexts[i];
    s.live = flags[i] & kLive;
    s.clean = flags[i] & kClean;
    s.index = static_cast<Index>(index);
    for (uint32_t k = 0; k < emitted_counts[i]; ++k, ++next_emitted) {
      const uint32_t slot = emitted_slots[next_emitted];
      if (slot >= snapshot_slots || slot_used[slot]) {
        return InconsistentState(in, "emitted result slot");
      }
      slot_used[slot] = 1;
      s.emitted.push_back({slot, emitted_starts[next_emitted], emitted_ends[next_emitted]});
    }
    if (s.live) {
      ++live_sessions;
    } else if (s.index != Index::kNone || !s.emitted.empty()) {
      return InconsistentState(in, "released session still indexed");
    }
  }
  if (next_emitted != emitted_slots.size()) return InconsistentState(in, "emitted results");
  std::vector<uint8_t> free(n, 0);
  for (uint32_t session : saved->free_sessions) {
    if (session >= n || saved->sessions[session].live || free[session]) {
      return InconsistentState(in, "free sessions");
    }
    free[session] = 1;
  }

  // Each live key heads a list of its own live sessions, sorted by start, without cycles; every
  // live session is on its key's list.
  std::vector<uint8_t> listed(n, 0);
  size_t listed_count = 0;
  for (size_t key = 0; key < saved->key_head.size(); ++key) {
    const uint32_t head = saved->key_head[key];
    const bool key_live = key < key_limit && saved->keys.IsLive(static_cast<uint32_t>(key));
    if (key_live != (head != kNone)) return InconsistentState(in, "session key list");
    for (uint32_t s = head; s != kNone; s = saved->sessions[s].next) {
      if (s >= n || listed[s] || !saved->sessions[s].live || saved->sessions[s].key != key) {
        return InconsistentState(in, "session key list");
      }
      listed[s] = 1;
      ++listed_count;
      const uint32_t next = saved->sessions[s].next;
      if (next != kNone && next < n && saved->sessions[next].start < saved->sessions[s].start) {
        return InconsistentState(in, "session order");
      }
    }
  }
  if (listed_count != live_sessions) return InconsistentState(in, "session not on its key list");
  saved->snapshot_slots = snapshot_slots;
  return Status::OK();
}

void SessionWindowOperator::RebuildIndexes() {
  std::vector<IndexKey> due;
  std::vector<IndexKey> expiry;
  for (uint32_t i = 0; i < sessions_.size(); ++i) {
    const Session& s = sessions_[i];
    if (s.index == Index::kDue) due.emplace_back(s.indexed_end, s.key, i);
    if (s.index == Index::kExpiry) expiry.emplace_back(s.indexed_end, s.key, i);
  }
  std::sort(due.begin(), due.end());
  std::sort(expiry.begin(), expiry.end());
  due_ = std::set<IndexKey>(due.begin(), due.end());
  expiry_ = std::set<IndexKey>(expiry.begin(), expiry.end());
}

void SessionWindowOperator::TakeState(SavedState& saved) {
  watermark_ = saved.watermark;
  keys_ = std::move(saved.keys);
  key_head_ = std::move(saved.key_head);
  sessions_ = std::move(saved.sessions);
  free_sessions_ = std::move(saved.free_sessions);
  snapshot_slots_ = saved.snapshot_slots;
  free_snapshots_ = std::move(saved.free_snapshots);
  states_ = std::move(saved.states);
  snapshots_ = std::move(saved.snapshots);
  merged_into_.assign(sessions_.size(), kNone);
  RebuildIndexes();
}

void SessionWindowOperator::AddRoutedSessions(const SavedState& saved) {
  const std::vector<uint32_t> kept =
      GroupsRoutedTo(layout_.codec(), saved.keys, InstanceOf(context_), ParallelismOf(context_));
  std::vector<uint32_t> from_sessions, to_sessions, from_slots, to_slots;
  for (uint32_t old_key : kept) {
    bool created = false;
    const uint32_t key = keys_.InsertKeyOf(saved.keys, old_key, &created);
    if (key_head_.size() < keys_.group_limit()) key_head_.resize(keys_.group_limit(), kNone);
    for (uint32_t old = saved.key_head[old_key]; old != kNone; old = saved.sessions[old].next) {
      const Session& from = saved.sessions[old];
      const uint32_t id = static_cast<uint32_t>(sessions_.size());
      Session& s = sessions_.emplace_back(from);
      s.key = key;
      s.emitted.clear();
      for (const Emitted& e : from.emitted) {
        const uint32_t slot = static_cast<uint32_t>(snapshot_slots_++);
        s.emitted.push_back({slot, e.start, e.end});
        from_slots.push_back(e.snapshot);
        to_slots.push_back(slot);
      }
      // Link in start order (a key comes from one old instance, so this appends).
      uint32_t previous = kNone;
      uint32_t current = key_head_[key];
      while (current != kNone && sessions_[current].start <= s.start) {
        previous = current;
        current = sessions_[current].next;
      }
      s.next = current;
      (previous == kNone ? key_head_[key] : sessions_[previous].next) = id;
      from_sessions.push_back(old);
      to_sessions.push_back(id);
    }
  }
  for (size_t j = 0; j < states_.size(); ++j) {
    states_[j]->Resize(sessions_.size());
    states_[j]->Merge(*saved.states[j], from_sessions.data(), to_sessions.data(),
                      to_sessions.size());
    snapshots_[j]->Resize(snapshot_slots_);
    snapshots_[j]->Merge(*saved.snapshots[j], from_slots.data(), to_slots.data(), to_slots.size());
  }
  merged_into_.resize(sessions_.size(), kNone);
}

Status SessionWindowOperator::RestoreState(const OperatorRestore& restore) {
  bool rescale = false;
  SLUICE_RETURN_IF_ERROR(CheckRestoreParts(restore, context_, Name(), &rescale));
  if (!sessions_.empty() || watermark_ != kMinWatermark) {
    return Status::Internal(Name() + ": restore into a used operator");
  }
  if (!rescale) {
    SavedState saved(layout_.key_layout());
    SLUICE_RETURN_IF_ERROR(ReadPart(restore.parts[0], &saved));
    TakeState(saved);
  } else {
    // As for slicing windows: the smallest of the old instances' (equal) watermarks.
    watermark_ = kMaxWatermark;
    for (const StateSectionsView* part : restore.parts) {
      SavedState saved(layout_.key_layout());
      SLUICE_RETURN_IF_ERROR(ReadPart(part, &saved));
      watermark_ = std::min(watermark_, saved.watermark);
      AddRoutedSessions(saved);
    }
    RebuildIndexes();
  }
  if (OperatorMetrics* m = metrics()) m->watermark = watermark_;
  return Status::OK();
}

}  // namespace sluice
