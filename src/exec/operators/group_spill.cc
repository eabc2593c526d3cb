#include "exec/operators/group_spill.h"

#include <cstring>
#include <unordered_set>

namespace sluice {
namespace {

std::string FixedKey(bool is_null, uint64_t bits) {
  std::string key(9, '\0');
  key[0] = is_null ? 1 : 0;
  if (!is_null) std::memcpy(key.data() + 1, &bits, 8);
  return key;
}

}  // namespace

Result<std::unique_ptr<GroupSpill>> GroupSpill::Open(GroupSpillOptions options,
                                                     const AggregateLayout& layout) {
  if (layout.key_layout() == KeyLayout::kNone) {
    return Status::Unsupported("GroupAggregate without group keys has one group: nothing spills");
  }
  if (options.env == nullptr || options.local_dir.empty() || !options.directories) {
    return Status::InvalidArgument("GroupAggregate spill needs an environment and directories");
  }
  if (options.max_resident_groups == 0) options.max_resident_groups = 1;
  std::unique_ptr<GroupSpill> spill(new GroupSpill(std::move(options), layout));
  SLUICE_ASSIGN_OR_RETURN(spill->store_,
                          RocksDbStateStore::Open(spill->options_.env, spill->options_.local_dir));
  return spill;
}

uint8_t& GroupSpill::FlagsOf(const AggregateTable& table, uint32_t group) {
  // Ids grow with the table; new ids start with no flags (never stored, not dirty yet).
  if (flags_.size() < table.keys().group_limit()) flags_.resize(table.keys().group_limit(), 0);
  return flags_[group];
}

std::string GroupSpill::KeyOf(const GroupKeyTable& keys, uint32_t group) const {
  if (keys.layout() == KeyLayout::kFixed) {
    return FixedKey(keys.is_null_key(group), keys.fixed_key(group));
  }
  return std::string(keys.bytes_key(group));
}

std::string GroupSpill::KeyOfRow(const EncodedKeys& keys, size_t row) const {
  if (layout_.key_layout() == KeyLayout::kFixed) {
    return FixedKey(keys.fixed_null[row] != 0, keys.fixed[row]);
  }
  return std::string(keys.bytes[row]);
}

std::string GroupSpill::EncodeGroup(const AggregateTable& table, uint32_t group,
                                    const GroupExtras& extras) const {
  AggregateTable one(layout_.key_layout(), layout_.prototypes());
  std::vector<uint32_t> ids;
  one.MergeGroupsFrom(table, {group}, &ids);  // into an empty group: a copy
  StateEncoder out;
  out.Reserve(64 + one.StateBytes());
  out.I64(extras.record_count);
  out.U32(extras.last_write);
  one.WriteState(out);
  return out.Take();
}

void GroupSpill::Touch(const AggregateTable& table, const std::vector<uint32_t>& groups) {
  for (uint32_t g : groups) FlagsOf(table, g) |= kDirty | kReferenced;
}

void GroupSpill::Forget(const AggregateTable& table, uint32_t group) {
  if (!table.keys().IsLive(group)) return;
  uint8_t& flags = FlagsOf(table, group);
  if (flags & kInStore) pending_deletes_.push_back(KeyOf(table.keys(), group));
  flags = 0;
}

Status GroupSpill::FlushDeletes() {
  if (pending_deletes_.empty()) return Status::OK();
  std::vector<std::string_view> keys(pending_deletes_.begin(), pending_deletes_.end());
  SLUICE_RETURN_IF_ERROR(store_->Delete(keys));
  pending_deletes_.clear();
  return Status::OK();
}

Status GroupSpill::WriteBack(const AggregateTable& table, const std::vector<uint32_t>& groups,
                             const std::function<GroupExtras(uint32_t)>& extras) {
  // Deletes first: a key dropped and created again since is written by the puts below.
  SLUICE_RETURN_IF_ERROR(FlushDeletes());
  std::vector<std::string> keys;
  std::vector<std::string> values;
  for (uint32_t g : groups) {
    uint8_t& flags = FlagsOf(table, g);
    if ((flags & kInStore) && !(flags & kDirty)) continue;  // the store has it as it is
    keys.push_back(KeyOf(table.keys(), g));
    values.push_back(EncodeGroup(table, g, extras(g)));
    flags = static_cast<uint8_t>((flags | kInStore) & ~kDirty);
  }
  if (keys.empty()) return Status::OK();
  std::vector<KeyValueRef> puts(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) puts[i] = {keys[i], values[i]};
  return store_->Put(puts);
}

Status GroupSpill::Evict(AggregateTable* table,
                         const std::function<GroupExtras(uint32_t)>& extras) {
  const size_t max = options_.max_resident_groups;
  if (table->size() <= max) return Status::OK();
  const size_t target = max - max / 8;
  const size_t limit = table->keys().group_limit();
  std::vector<uint32_t> victims;
  // CLOCK: at most two turns (the first clears every reference bit).
  for (size_t steps = 0; steps < 2 * limit + 1 && table->size() - victims.size() > target;
       ++steps) {
    const uint32_t g = static_cast<uint32_t>(hand_++ % limit);
    if (!table->keys().IsLive(g)) continue;
    uint8_t& flags = FlagsOf(*table, g);
    if (flags & kVictim) continue;
    if (flags & kReferenced) {
      flags &= static_cast<uint8_t>(~kReferenced);
      continue;
    }
    victims.push_back(g);
    flags |= kVictim;
  }
  SLUICE_RETURN_IF_ERROR(WriteBack(*table, victims, extras));
  for (uint32_t g : victims) {
    table->Erase(g);
    flags_[g] = 0;
  }
  evicted_ += victims.size();
  return Status::OK();
}

Status GroupSpill::Load(const EncodedKeys& keys, size_t rows, AggregateTable* table,
                        const std::function<void(uint32_t, const GroupExtras&)>& loaded) {
  if (rows == 0) return Status::OK();
  // A key dropped for good must not come back from the store.
  SLUICE_RETURN_IF_ERROR(FlushDeletes());
  std::vector<uint8_t> no_insert(rows, 0);
  std::vector<uint32_t> groups(rows);
  table->FindOrInsert(keys, nullptr, rows, no_insert.data(), groups.data());
  std::vector<std::string> missing;
  std::unordered_set<std::string> seen;
  for (size_t i = 0; i < rows; ++i) {
    if (groups[i] != GroupKeyTable::kNoGroup) continue;
    std::string key = KeyOfRow(keys, i);
    if (seen.insert(key).second) missing.push_back(std::move(key));
  }
  if (missing.empty()) return Status::OK();
  std::vector<std::string_view> views(missing.begin(), missing.end());
  std::vector<std::optional<std::string>> values;
  SLUICE_RETURN_IF_ERROR(store_->MultiGet(views, &values));
  std::vector<uint32_t> ids;
  for (size_t i = 0; i < missing.size(); ++i) {
    if (!values[i]) continue;  // a new key
    StateDecoder in(*values[i], "GroupAggregate spilled group");
    GroupExtras extras;
    SLUICE_RETURN_IF_ERROR(in.I64(&extras.record_count));
    SLUICE_RETURN_IF_ERROR(in.U32(&extras.last_write));
    AggregateTable one(layout_.key_layout(), layout_.prototypes());
    SLUICE_RETURN_IF_ERROR(one.ReadState(in, layout_.codec()));
    SLUICE_RETURN_IF_ERROR(in.Finish());
    const std::vector<uint32_t> live = one.LiveGroups();
    if (live.size() != 1 || KeyOf(one.keys(), live[0]) != missing[i]) {
      return Status::DecodeError("GroupAggregate spilled group: the stored group is not the key's");
    }
    table->MergeGroupsFrom(one, live, &ids);
    FlagsOf(*table, ids[0]) = kInStore | kReferenced;
    loaded(ids[0], extras);
    ++loaded_;
  }
  return Status::OK();
}

Result<StateHandle> GroupSpill::Checkpoint(CheckpointId id, const AggregateTable& table,
                                           const std::function<GroupExtras(uint32_t)>& extras) {
  SLUICE_RETURN_IF_ERROR(WriteBack(table, table.LiveGroups(), extras));
  const auto [checkpoint_dir, shared_dir] = options_.directories(id);
  return store_->Checkpoint(id, checkpoint_dir, shared_dir);
}

Status GroupSpill::Restore(const StateHandle& handle) {
  SLUICE_RETURN_IF_ERROR(store_->Restore(handle));
  flags_.clear();
  pending_deletes_.clear();
  hand_ = 0;
  return Status::OK();
}

}  // namespace sluice
