#include "exec/plan/operator_signature.h"

#include <cstdio>
#include <functional>
#include <set>

#include "exec/plan/operator_signature_canonical.h"

namespace sluice {

namespace {

std::string ChangelogName(ChangelogMode mode) {
  return mode == ChangelogMode::kUpdating ? "updating" : "append-only";
}

const PlanNode* FirstInput(const PlanNode& node) {
  return node.inputs.empty() ? nullptr : node.inputs[0].get();
}

std::vector<std::string> KeyTypes(const PlanNode* input, const std::vector<int>& keys) {
  std::vector<std::string> out;
  for (int k : keys) {
    bool known = input && k >= 0 && k < static_cast<int>(input->output_schema.size());
    out.push_back(known ? input->output_schema[k].type.ToString() : "?");
  }
  return out;
}

std::vector<std::string> Columns(CanonicalResolver& resolver, const PlanNode* input,
                                 const std::vector<int>& columns) {
  std::vector<std::string> out;
  for (int c : columns) {
    out.push_back(input ? resolver.Column(*input, c) : "$" + std::to_string(c) + "?");
  }
  return out;
}

void AddLineage(const PlanNode* input, CanonicalResolver& resolver, OperatorSignature* sig) {
  Lineage lineage = input ? CollectLineage(*input, resolver) : Lineage{};
  sig->lineage["sources"] = SignatureField::List(std::move(lineage.sources));
  sig->lineage["filters"] = SignatureField::List(std::move(lineage.filters));
  sig->lineage["upstream"] = SignatureField::List(std::move(lineage.upstream));
}

// Keys, accumulators, aggregate arguments and lineage: what both aggregate kinds share.
void AddAggregateParts(const PlanNode& node, const std::vector<int>& keys,
                       const std::vector<AggregateCall>& aggregates, CanonicalResolver& resolver,
                       OperatorSignature* sig) {
  const PlanNode* input = FirstInput(node);
  sig->state_schema["key_types"] = SignatureField::List(KeyTypes(input, keys));
  std::vector<std::string> accumulators, calls;
  for (const auto& a : aggregates) {
    accumulators.push_back(AccumulatorDescriptor(a));
    calls.push_back(input ? resolver.Aggregate(a, *input) : "?");
  }
  sig->state_schema["accumulators"] = SignatureField::List(std::move(accumulators));
  sig->semantics["keys"] = SignatureField::List(Columns(resolver, input, keys));
  sig->semantics["aggregates"] = SignatureField::List(std::move(calls));
  AddLineage(input, resolver, sig);
}

void SignScan(const ScanNode& scan, OperatorSignature* sig) {
  // Positions and watermark generator state: their meaning depends on the connector and the
  // data it reads, not on columns, formats or watermark expressions.
  sig->state_schema["connector"] = SignatureField::Text(scan.table->ConnectorName());
  sig->lineage["sources"] = SignatureField::List({SourceDescriptor(*scan.table)});
}

void SignSink(const SinkNode& sink, OperatorSignature* sig) {
  std::vector<std::string> columns;
  for (const auto& f : sink.output_schema.fields)
    columns.push_back(f.name + " " + f.type.ToString());
  sig->state_schema["connector"] = SignatureField::Text(sink.table->ConnectorName());
  sig->state_schema["columns"] = SignatureField::List(std::move(columns));
  sig->lineage["table"] = SignatureField::Text(sink.table->name);
  sig->lineage["target"] = SignatureField::List(TargetOptions(*sink.table));
}

}  // namespace

std::string SignatureField::ToString() const {
  if (!is_list) return values.empty() ? "" : values[0];
  std::string s = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) s += ", ";
    s += values[i];
  }
  return s + "]";
}

bool HasOperatorState(const PlanNode& node) {
  return node.kind != PlanKind::kCalc && node.kind != PlanKind::kUnion;
}

OperatorSignature Signature(const PlanNode& node) {
  OperatorSignature sig;
  sig.kind = PlanKindName(node.kind);
  CanonicalResolver resolver;
  switch (node.kind) {
    case PlanKind::kScan:
      SignScan(static_cast<const ScanNode&>(node), &sig);
      break;
    case PlanKind::kSink:
      SignSink(static_cast<const SinkNode&>(node), &sig);
      break;
    case PlanKind::kGroupAggregate: {
      const auto& agg = static_cast<const GroupAggregateNode&>(node);
      // An updating input needs retraction state (record counts, MIN/MAX value maps).
      const PlanNode* input = FirstInput(node);
      sig.state_schema["input"] =
          SignatureField::Text(ChangelogName(input ? input->changelog : node.changelog));
      AddAggregateParts(node, agg.group_keys, agg.aggregates, resolver, &sig);
      break;
    }
    case PlanKind::kWindowAggregate: {
      const auto& win = static_cast<const WindowAggregateNode&>(node);
      const PlanNode* input = FirstInput(node);
      sig.state_schema["window_kind"] = SignatureField::Text(WindowKindName(win.window.kind));
      sig.semantics["window"] = SignatureField::Text(CanonicalWindow(win.window));
      sig.semantics["time"] =
          SignatureField::Text(input ? resolver.Column(*input, win.window.time_column) : "?");
      sig.semantics["allowed_lateness"] =
          SignatureField::Text(CanonicalDuration(win.allowed_lateness_micros));
      AddAggregateParts(node, win.group_keys, win.aggregates, resolver, &sig);
      break;
    }
    case PlanKind::kChangelogNormalize: {
      const auto& norm = static_cast<const ChangelogNormalizeNode&>(node);
      const PlanNode* input = FirstInput(node);
      std::vector<std::string> row_types;
      for (const auto& f : node.output_schema.fields) row_types.push_back(f.type.ToString());
      sig.state_schema["key_types"] = SignatureField::List(KeyTypes(input, norm.keys));
      sig.state_schema["row_types"] = SignatureField::List(std::move(row_types));
      sig.semantics["keys"] = SignatureField::List(Columns(resolver, input, norm.keys));
      AddLineage(input, resolver, &sig);
      break;
    }
    case PlanKind::kCalc:
    case PlanKind::kUnion:
      break;  // no state
  }
  return sig;
}

uint64_t Fnv1a64(std::string_view bytes) {
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string Uid(const OperatorSignature& signature) {
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx",
                static_cast<unsigned long long>(Fnv1a64(CanonicalJson(signature))));
  return buf;
}

std::vector<OperatorSignatureWithUid> SignOperators(
    const std::vector<const PlanNode*>& nodes_in_sql_order) {
  std::vector<OperatorSignatureWithUid> out;
  std::set<const PlanNode*> seen;
  std::map<std::string, int> occurrences;  // canonical JSON with ordinal 0 -> count so far
  for (const PlanNode* node : nodes_in_sql_order) {
    if (!node || !seen.insert(node).second) continue;
    OperatorSignatureWithUid signed_op;
    signed_op.signature = Signature(*node);
    signed_op.signature.ordinal = occurrences[CanonicalJson(signed_op.signature)]++;
    signed_op.uid = Uid(signed_op.signature);
    signed_op.node = node;
    out.push_back(std::move(signed_op));
  }
  return out;
}

std::map<const PlanNode*, std::string> AssignUids(
    const std::vector<const PlanNode*>& nodes_in_sql_order) {
  std::map<const PlanNode*, std::string> out;
  for (auto& op : SignOperators(nodes_in_sql_order)) out[op.node] = op.uid;
  return out;
}

std::vector<const PlanNode*> StatefulNodesInSqlOrder(const PipelinePlan& plan) {
  std::vector<const PlanNode*> out;
  std::set<const PlanNode*> seen;
  std::function<void(const PlanNode&)> visit = [&](const PlanNode& node) {
    if (!seen.insert(&node).second) return;
    for (const auto& input : node.inputs) visit(*input);
    if (HasOperatorState(node)) out.push_back(&node);
  };
  for (const auto& sink : plan.sinks) visit(*sink);
  return out;
}

}  // namespace sluice
