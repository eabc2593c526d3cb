#pragma once
// The state compatibility report: which operators of a checkpoint a new plan restores, which
// start empty, and which old state no operator takes any more — with what changed, so a user
// who edited the query sees why (docs/design/checkpoints.md §5):
//
//   restored GroupAggregate 81c2a0f3
//   new (empty) GroupAggregate 5d09e7aa
//   DROPPED GroupAggregate 77de41b0 closest 5d09e7aa: keys [status] -> [customer_id]
//
// Operators match by uid only; the diff is for people, never used to map state.

#include <string>
#include <vector>

#include "exec/plan/operator_signature.h"

namespace sluice {

/// One operator as a checkpoint manifest records it.
struct SavedOperator {
  std::string uid;
  std::string kind;
  std::string signature_json;  // CanonicalJson of its signature
  int parallelism = 0;         // 0 = unknown
};

SavedOperator ToSavedOperator(const OperatorSignatureWithUid& op);

struct StateCompatReport {
  /// In the new plan's order: "restored …" / "new (empty) …" (and "CANNOT RESCALE …" after a
  /// restored generator source); then one "DROPPED …" per unmatched old operator, in old order.
  std::vector<std::string> lines;
  std::vector<std::string> restored_uids;
  std::vector<std::string> new_uids;
  std::vector<std::string> dropped_uids;
  /// Old state no new operator takes: refuse to start unless --allow-non-restored-state.
  bool has_unmatched_old_state = false;
  /// A generator source (datagen, orders) restored at another parallelism: its positions
  /// (per-split row index and random state) cannot be redistributed, so refuse to start.
  bool has_rescale_conflict = false;

  std::string ToString() const;  // the lines, each ending in '\n'
};

StateCompatReport Compare(const std::vector<SavedOperator>& old_ops,
                          const std::vector<OperatorSignatureWithUid>& new_ops);

/// The fields that differ from `from` to `to`, semantics first, then lineage and state schema:
/// "keys [status] -> [customer_id]; filters [] -> [(amount > 10)]"; "ordinal 1 -> 0" when only
/// the position among identical operators differs; empty when equal.
std::string SignatureDiff(const OperatorSignature& from, const OperatorSignature& to);

}  // namespace sluice
