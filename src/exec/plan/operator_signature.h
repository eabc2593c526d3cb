#pragma once
// Operator signatures and stable operator ids (uids): what a checkpoint's state belongs to.
//
// PlanNode::id ("GroupAggregate-3") shifts whenever a statement is added, so state is keyed by a
// uid instead: a hash of a readable signature that describes what the state *means*, not where
// the node sits in the plan (docs/design/checkpoints.md §5). A signature has three parts, each a
// set of named fields (a text or a list of texts):
//   state_schema  what the stored bytes look like: key types, accumulator kinds and types,
//                 window kind, connector (positions)
//   semantics     what the state computes: keys, aggregate arguments, window spec, allowed
//                 lateness, as canonical expressions over *source columns* (resolved through
//                 upstream Calcs, so reordering or renaming a projection changes nothing)
//   lineage       where the rows come from: source tables with the options that identify their
//                 data (topic, path, generator seed), canonical upstream filters, upstream
//                 stateful operators; for sinks, the target
// Parallelism, node ids, batch size, the sluice version and options that do not change the
// meaning of the state (bootstrap servers, formats, flush intervals) are left out.
//
// The uid is FNV-1a 64 (a published, byte-wise algorithm: the same on every machine and build)
// of the canonical JSON {sig_version, kind, state_schema, semantics, lineage, ordinal}, as 16
// lower-case hex digits. `ordinal` tells apart operators with identical signatures (two equal
// aggregates in one statement set): their position among those, in SQL order.
//
// Changing anything that feeds the canonical JSON changes every uid of existing savepoints: such
// a change needs a new kSignatureVersion (and the old function kept while its savepoints load).

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "exec/plan/plan_node.h"

namespace sluice {

inline constexpr int kSignatureVersion = 1;

/// One named field of a signature part: a single text, or a list of texts.
struct SignatureField {
  bool is_list = false;
  std::vector<std::string> values;  // exactly one value when !is_list

  static SignatureField Text(std::string value) { return {false, {std::move(value)}}; }
  static SignatureField List(std::vector<std::string> values) { return {true, std::move(values)}; }
  bool operator==(const SignatureField& other) const = default;
  /// "Tumble(size=1 min)" or "[status, customer_id]".
  std::string ToString() const;
};

/// Fields by name; std::map so the canonical JSON does not depend on construction order.
using SignaturePart = std::map<std::string, SignatureField>;

struct OperatorSignature {
  int sig_version = kSignatureVersion;
  /// "Scan", "WindowAggregate", "GroupAggregate", "ChangelogNormalize", "Sink" (stateless nodes:
  /// "Calc", "Union", with empty parts).
  std::string kind;
  SignaturePart state_schema;
  SignaturePart semantics;
  SignaturePart lineage;
  /// Position among identical signatures in SQL order (set by SignOperators / AssignUids).
  int ordinal = 0;

  bool operator==(const OperatorSignature& other) const = default;
};

/// True for nodes that hold state or a position in a checkpoint: scans, window and group
/// aggregates, ChangelogNormalize, sinks. Calc and Union hold none.
bool HasOperatorState(const PlanNode& node);

/// The signature of one node (ordinal 0). Stateless nodes get their kind and empty parts.
OperatorSignature Signature(const PlanNode& node);

/// The canonical JSON hashed for the uid and stored in a manifest: no whitespace, fields in a
/// fixed order, part fields sorted by name.
std::string CanonicalJson(const OperatorSignature& signature);

/// 16 lower-case hex digits of Fnv1a64(CanonicalJson(signature)).
std::string Uid(const OperatorSignature& signature);

/// FNV-1a, 64 bit (offset basis 14695981039346656037, prime 1099511628211), over bytes.
uint64_t Fnv1a64(std::string_view bytes);

/// A signature with its ordinal set and its uid, as computed for the plan about to run.
struct OperatorSignatureWithUid {
  OperatorSignature signature;
  std::string uid;
  const PlanNode* node = nullptr;  // the node it was computed from, if any
  /// 0 = unknown. Only used by the report: generator sources cannot change parallelism.
  int parallelism = 0;
};

/// Signs `nodes_in_sql_order` (duplicates are signed once), setting ordinals: the k-th node
/// (from 0) whose signature equals an earlier one's gets ordinal k.
std::vector<OperatorSignatureWithUid> SignOperators(
    const std::vector<const PlanNode*>& nodes_in_sql_order);

/// node -> uid, as SignOperators.
std::map<const PlanNode*, std::string> AssignUids(
    const std::vector<const PlanNode*>& nodes_in_sql_order);

/// The stateful nodes of a pipeline in SQL order: the sinks' subtrees in INSERT order, inputs
/// before their consumers, each shared node once (the order AssignNodeIds numbers them in).
std::vector<const PlanNode*> StatefulNodesInSqlOrder(const PipelinePlan& plan);

}  // namespace sluice
