#include "exec/operators/aggregate_table.h"

#include <algorithm>

namespace sluice {

AggregateTable::AggregateTable(KeyLayout layout,
                               const std::vector<std::unique_ptr<AggregateState>>& prototypes)
    : keys_(layout) {
  states_.reserve(prototypes.size());
  for (const auto& prototype : prototypes) states_.push_back(prototype->CloneEmpty());
}

void AggregateTable::PrepareCreated() {
  if (created_.empty()) return;
  const size_t limit = keys_.group_limit();
  // Ids below the old size were erased before: their accumulators hold stale values.
  size_t reused = 0;
  for (uint32_t g : created_) {
    if (g < sized_groups_) created_[reused++] = g;
  }
  for (auto& state : states_) {
    if (limit > sized_groups_) state->Resize(limit);
    if (reused) state->Clear(created_.data(), reused);
  }
  sized_groups_ = std::max(sized_groups_, limit);
  created_.clear();
}

void AggregateTable::FindOrInsert(const EncodedKeys& keys, const uint32_t* rows, size_t count,
                                  const uint8_t* may_insert, uint32_t* groups,
                                  std::vector<uint32_t>* created) {
  keys_.FindOrInsert(keys, rows, count, may_insert, groups, &created_);
  if (created) created->insert(created->end(), created_.begin(), created_.end());
  PrepareCreated();
}

void AggregateTable::Update(const std::vector<const Column*>& arguments, const uint32_t* rows,
                            const uint32_t* groups, const uint8_t* retract, size_t count) {
  if (keys_.layout() == KeyLayout::kNone && !retract && count > 0) {
    for (size_t j = 0; j < states_.size(); ++j) {
      states_[j]->UpdateGroup(arguments[j], rows, groups[0], count);
    }
    return;
  }
  for (size_t j = 0; j < states_.size(); ++j) {
    states_[j]->Update(arguments[j], rows, groups, retract, count);
  }
}

void AggregateTable::MergeFrom(const AggregateTable& source) {
  std::vector<uint32_t> groups;
  MergeGroupsFrom(source, source.LiveGroups(), &groups);
}

void AggregateTable::MergeGroupsFrom(const AggregateTable& source,
                                     const std::vector<uint32_t>& source_groups,
                                     std::vector<uint32_t>* groups) {
  groups->resize(source_groups.size());
  for (size_t i = 0; i < source_groups.size(); ++i) {
    bool created = false;
    (*groups)[i] = keys_.InsertKeyOf(source.keys_, source_groups[i], &created);
    if (created) created_.push_back((*groups)[i]);
  }
  PrepareCreated();
  for (size_t j = 0; j < states_.size(); ++j) {
    states_[j]->Merge(*source.states_[j], source_groups.data(), groups->data(), groups->size());
  }
}

void AggregateTable::Erase(uint32_t group) {
  if (!keys_.IsLive(group)) return;
  keys_.Erase(group);
  for (auto& state : states_) state->Clear(&group, 1);
}

void AggregateTable::WriteState(StateEncoder& out) const {
  keys_.WriteState(out);
  out.U64(sized_groups_);
  out.U32(static_cast<uint32_t>(states_.size()));
  for (const auto& state : states_) state->WriteState(out);
}

size_t AggregateTable::StateBytes() const {
  size_t bytes = keys_.StateBytes() + 16;
  for (const auto& state : states_) bytes += state->StateBytes();
  return bytes;
}

Status AggregateTable::ReadState(StateDecoder& in, const GroupKeyCodec& codec) {
  SLUICE_RETURN_IF_ERROR(keys_.ReadState(in, codec));
  uint64_t sized_groups = 0;
  uint32_t num_states = 0;
  SLUICE_RETURN_IF_ERROR(in.U64(&sized_groups));
  SLUICE_RETURN_IF_ERROR(in.U32(&num_states));
  if (num_states != states_.size()) {
    return Status::DecodeError(in.what() + ": " + std::to_string(num_states) +
                               " aggregates stored, the operator computes " +
                               std::to_string(states_.size()));
  }
  if (sized_groups < keys_.group_limit()) {
    return Status::DecodeError(in.what() + ": corrupt state (accumulators for fewer groups " +
                               "than keys)");
  }
  for (auto& state : states_) {
    SLUICE_RETURN_IF_ERROR(state->ReadState(in));
    if (state->groups() != sized_groups) {
      return Status::DecodeError(in.what() + ": corrupt state (accumulator array size)");
    }
  }
  sized_groups_ = sized_groups;
  created_.clear();
  return Status::OK();
}

std::unique_ptr<AggregateTable> AggregateTable::Clone() const {
  auto copy = std::make_unique<AggregateTable>(keys_.layout(), states_);
  copy->MergeFrom(*this);
  return copy;
}

std::vector<uint32_t> AggregateTable::LiveGroups() const {
  std::vector<uint32_t> groups;
  groups.reserve(keys_.size());
  for (uint32_t g = 0; g < keys_.group_limit(); ++g) {
    if (keys_.IsLive(g)) groups.push_back(g);
  }
  return groups;
}

std::vector<ColumnPtr> AggregateTable::Finalize(const uint32_t* groups, size_t count) {
  std::vector<ColumnPtr> columns;
  columns.reserve(states_.size());
  for (auto& state : states_) columns.push_back(state->Finalize(groups, count));
  return columns;
}

}  // namespace sluice
