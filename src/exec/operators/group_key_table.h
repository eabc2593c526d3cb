#pragma once
// GroupKeyTable: maps group keys to dense group ids with an open-addressing hash table (linear
// probing on precomputed hashes). Group ids index the accumulator arrays of an AggregateTable.
//
// Ids are handed out in insertion order (0, 1, 2, ...) until a group is erased; erased ids are
// reused. Keys of layout kBytes are copied into an arena owned by the table; the arena is
// compacted when erased keys make up most of it. kFixed keeps the 64-bit key inline, and the NULL
// key as a separate group outside the hash table. kNone has at most one group, id 0.

#include <cstdint>
#include <limits>
#include <memory>
#include <string_view>
#include <vector>

#include "columnar/column.h"
#include "exec/operators/encoded_keys.h"
#include "runtime/state_codec.h"

namespace sluice {

class GroupKeyCodec;

class GroupKeyTable {
 public:
  static constexpr uint32_t kNoGroup = std::numeric_limits<uint32_t>::max();

  explicit GroupKeyTable(KeyLayout layout);

  KeyLayout layout() const { return layout_; }
  /// Live groups.
  size_t size() const { return live_count_; }
  /// One past the largest id ever handed out: accumulator arrays are sized to this.
  size_t group_limit() const { return live_.size(); }
  bool IsLive(uint32_t group) const { return group < live_.size() && live_[group] != 0; }

  /// groups[i] = group of the key of row rows[i] of `keys` (rows null: row i). A missing key is
  /// inserted unless may_insert is given and may_insert[i] == 0; then groups[i] = kNoGroup.
  /// Rows are looked up in order, so a key inserted by row i is found by row j > i. New group ids
  /// are appended to `created`.
  void FindOrInsert(const EncodedKeys& keys, const uint32_t* rows, size_t count,
                    const uint8_t* may_insert, uint32_t* groups, std::vector<uint32_t>* created);
  /// The group here with the key of group `group` of `other` (same layout), or kNoGroup.
  uint32_t FindKeyOf(const GroupKeyTable& other, uint32_t group) const;
  /// Like FindKeyOf, inserting the key when missing; *created tells whether it was.
  uint32_t InsertKeyOf(const GroupKeyTable& other, uint32_t group, bool* created);
  /// Removes a live group; its id will be reused.
  void Erase(uint32_t group);

  /// Checkpoints: the table as it is (buckets, per-group arrays, free ids; key bytes as lengths
  /// plus one blob), so a restore reads it back without re-inserting keys and ids stay the same.
  void WriteState(StateEncoder& out) const;
  /// The bytes WriteState writes.
  size_t StateBytes() const;
  /// Replaces this (same layout) table with what WriteState wrote; a DecodeError when the bytes
  /// are truncated or inconsistent (a later lookup could otherwise loop or read out of bounds),
  /// or a stored key is not one `codec` encodes.
  Status ReadState(StateDecoder& in, const GroupKeyCodec& codec);

  // Stored keys, for decoding output rows.
  uint64_t fixed_key(uint32_t group) const { return fixed_[group]; }
  bool is_null_key(uint32_t group) const { return group == null_group_; }
  std::string_view bytes_key(uint32_t group) const { return bytes_[group]; }

 private:
  struct Bucket {
    uint32_t group;  // kEmpty, kTombstone or a group id
    uint32_t tag;    // high half of the hash: most mismatches are rejected without a key compare
  };
  static constexpr uint32_t kEmpty = std::numeric_limits<uint32_t>::max();
  static constexpr uint32_t kTombstone = kEmpty - 1;

  size_t BucketOf(uint64_t hash) const { return (hash * 0x9e3779b97f4a7c15ULL) >> shift_; }
  /// Bucket holding the key for which equal(group) holds, else the empty bucket ending the probe;
  /// *reusable = first tombstone passed (buckets_.size() if none).
  template <typename Equal>
  size_t Find(uint64_t hash, const Equal& equal, size_t* reusable) const;
  template <typename Equal, typename Store>
  uint32_t Probe(uint64_t hash, const Equal& equal, bool insert, const Store& store, bool* created);
  uint32_t AllocateGroup(uint64_t hash);
  uint32_t SingletonGroup(uint32_t* slot, bool insert, bool* created);
  void Rehash(size_t bucket_count);
  void CompactArena();

  KeyLayout layout_;
  std::vector<Bucket> buckets_;
  int shift_ = 64;
  size_t used_buckets_ = 0;  // live entries in buckets_
  size_t tombstones_ = 0;

  // Per group id.
  std::vector<uint8_t> live_;
  std::vector<uint64_t> hashes_;
  std::vector<uint64_t> fixed_;          // kFixed
  std::vector<std::string_view> bytes_;  // kBytes, into arena_
  std::vector<uint32_t> free_groups_;
  size_t live_count_ = 0;
  uint32_t null_group_ = kNoGroup;  // kFixed: the NULL key's group
  uint32_t only_group_ = kNoGroup;  // kNone: the one group

  std::unique_ptr<StringHeap> arena_;
  size_t dead_arena_bytes_ = 0;
};

}  // namespace sluice
