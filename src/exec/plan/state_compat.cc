#include "exec/plan/state_compat.h"

#include <map>
#include <optional>
#include <set>

#include "exec/plan/operator_signature_json.h"

namespace sluice {

namespace {

std::string Uid8(const std::string& uid) {
  return uid.substr(0, 8);
}

// Appends "name old -> new" for every field of one part whose value differs.
void DiffPart(const SignaturePart& from, const SignaturePart& to,
              std::vector<std::string>* changes) {
  std::set<std::string> names;
  for (const auto& [name, field] : from) names.insert(name);
  for (const auto& [name, field] : to) names.insert(name);
  for (const auto& name : names) {
    auto a = from.find(name);
    auto b = to.find(name);
    if (a != from.end() && b != to.end() && a->second == b->second) continue;
    changes->push_back(name + " " + (a == from.end() ? "(none)" : a->second.ToString()) + " -> " +
                       (b == to.end() ? "(none)" : b->second.ToString()));
  }
}

std::vector<std::string> Changes(const OperatorSignature& from, const OperatorSignature& to) {
  std::vector<std::string> changes;
  if (from.sig_version != to.sig_version) {
    changes.push_back("sig_version " + std::to_string(from.sig_version) + " -> " +
                      std::to_string(to.sig_version));
  }
  if (from.kind != to.kind) changes.push_back("kind " + from.kind + " -> " + to.kind);
  DiffPart(from.semantics, to.semantics, &changes);
  DiffPart(from.lineage, to.lineage, &changes);
  DiffPart(from.state_schema, to.state_schema, &changes);
  if (from.ordinal != to.ordinal) {
    changes.push_back("ordinal " + std::to_string(from.ordinal) + " -> " +
                      std::to_string(to.ordinal));
  }
  return changes;
}

bool IsGeneratorScan(const OperatorSignature& sig) {
  if (sig.kind != "Scan") return false;
  auto it = sig.state_schema.find("connector");
  if (it == sig.state_schema.end() || it->second.values.empty()) return false;
  return it->second.values[0] == "datagen" || it->second.values[0] == "orders";
}

}  // namespace

SavedOperator ToSavedOperator(const OperatorSignatureWithUid& op) {
  return {op.uid, op.signature.kind, CanonicalJson(op.signature), op.parallelism};
}

std::string StateCompatReport::ToString() const {
  std::string s;
  for (const auto& line : lines) s += line + "\n";
  return s;
}

std::string SignatureDiff(const OperatorSignature& from, const OperatorSignature& to) {
  std::string s;
  for (const auto& change : Changes(from, to)) s += (s.empty() ? "" : "; ") + change;
  return s;
}

StateCompatReport Compare(const std::vector<SavedOperator>& old_ops,
                          const std::vector<OperatorSignatureWithUid>& new_ops) {
  StateCompatReport report;
  std::map<std::string, const SavedOperator*> old_by_uid;
  for (const auto& op : old_ops) old_by_uid.emplace(op.uid, &op);

  std::set<std::string> matched;   // old uids a new operator restores
  std::vector<bool> new_is_empty;  // parallel to new_ops
  for (const auto& op : new_ops) {
    auto it = old_by_uid.find(op.uid);
    if (it == old_by_uid.end()) {
      report.lines.push_back("new (empty) " + op.signature.kind + " " + Uid8(op.uid));
      report.new_uids.push_back(op.uid);
      new_is_empty.push_back(true);
      continue;
    }
    matched.insert(op.uid);
    new_is_empty.push_back(false);
    report.lines.push_back("restored " + op.signature.kind + " " + Uid8(op.uid));
    report.restored_uids.push_back(op.uid);
    const SavedOperator& old = *it->second;
    if (IsGeneratorScan(op.signature) && old.parallelism > 0 && op.parallelism > 0 &&
        old.parallelism != op.parallelism) {
      report.has_rescale_conflict = true;
      report.lines.push_back(
          "CANNOT RESCALE Scan " + Uid8(op.uid) + ": a " +
          op.signature.state_schema.at("connector").values[0] +
          " source restores only at its old parallelism " + std::to_string(old.parallelism) +
          ", not " + std::to_string(op.parallelism) + " (each split's row index and random state)");
    }
  }

  for (const auto& old : old_ops) {
    if (matched.count(old.uid)) continue;
    report.has_unmatched_old_state = true;
    report.dropped_uids.push_back(old.uid);
    std::string line = "DROPPED " + old.kind + " " + Uid8(old.uid);
    auto parsed = SignatureFromJson(old.signature_json);
    if (!parsed.ok()) {
      report.lines.push_back(line + ": signature unreadable (" + parsed.status().message() + ")");
      continue;
    }
    // The closest new operator of the same kind: fewest differing fields; among equals, one
    // that starts empty (the likely successor), then the first.
    std::optional<size_t> best;
    size_t best_changes = 0;
    for (size_t i = 0; i < new_ops.size(); ++i) {
      if (new_ops[i].signature.kind != old.kind) continue;
      size_t n = Changes(*parsed, new_ops[i].signature).size();
      bool better = !best || n < best_changes ||
                    (n == best_changes && new_is_empty[i] && !new_is_empty[*best]);
      if (better) {
        best = i;
        best_changes = n;
      }
    }
    if (!best) {
      report.lines.push_back(line + ": no " + old.kind + " in the new plan");
      continue;
    }
    const auto& closest = new_ops[*best];
    std::string diff = SignatureDiff(*parsed, closest.signature);
    if (diff.empty()) diff = "same signature, other uid";  // e.g. written by another build
    report.lines.push_back(line + " closest " + Uid8(closest.uid) + ": " + diff);
  }
  return report;
}

}  // namespace sluice
