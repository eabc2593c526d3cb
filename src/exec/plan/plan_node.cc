#include "exec/plan/plan_node.h"

#include "types/time_format.h"

namespace sluice {

namespace {

std::string FormatDuration(int64_t micros) {
  struct Unit {
    int64_t size;
    const char* name;
  };
  static const Unit kUnits[] = {{kMicrosPerDay, "d"},
                                {kMicrosPerHour, "h"},
                                {kMicrosPerMinute, "min"},
                                {kMicrosPerSecond, "s"},
                                {kMicrosPerMilli, "ms"}};
  for (const auto& u : kUnits) {
    if (micros != 0 && micros % u.size == 0) return std::to_string(micros / u.size) + " " + u.name;
  }
  return std::to_string(micros) + " us";
}

std::string Columns(const std::vector<int>& cols, const Schema& input) {
  std::string s = "[";
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i) s += ", ";
    s += cols[i] < static_cast<int>(input.size()) ? input[cols[i]].name
                                                  : "$" + std::to_string(cols[i]);
  }
  return s + "]";
}

// "SUM(amount) AS total": arguments by their input column's name.
std::string Aggregates(const std::vector<AggregateCall>& aggs, const Schema& input) {
  std::string s = "[";
  for (size_t i = 0; i < aggs.size(); ++i) {
    if (i) s += ", ";
    const AggregateCall& a = aggs[i];
    bool named = a.argument >= 0 && a.argument < static_cast<int>(input.size());
    s += (named ? a.ToString(input[a.argument].name) : a.ToString()) + " AS " + a.name;
  }
  return s + "]";
}

const Schema& InputSchema(const PlanNode& node) {
  static const Schema kEmpty;
  return node.inputs.empty() ? kEmpty : node.inputs[0]->output_schema;
}

}  // namespace

std::string WindowKindName(WindowKind kind) {
  switch (kind) {
    case WindowKind::kTumble:
      return "Tumble";
    case WindowKind::kHop:
      return "Hop";
    case WindowKind::kCumulate:
      return "Cumulate";
    case WindowKind::kSession:
      return "Session";
  }
  return "?";
}

std::string WindowSpec::ToString() const {
  std::string s;
  switch (kind) {
    case WindowKind::kTumble:
      s = "size=" + FormatDuration(size_micros);
      break;
    case WindowKind::kHop:
      s = "slide=" + FormatDuration(slide_micros) + ", size=" + FormatDuration(size_micros);
      break;
    case WindowKind::kCumulate:
      s = "step=" + FormatDuration(step_micros) + ", max size=" + FormatDuration(size_micros);
      break;
    case WindowKind::kSession:
      s = "gap=" + FormatDuration(gap_micros);
      break;
  }
  if (offset_micros) s += ", offset=" + FormatDuration(offset_micros);
  if (time_is_ltz) s += ", local time";
  return s;
}

std::string ScanNode::Describe() const {
  std::string s = "TableSourceScan(table=" + table->name + ", connector=" + table->ConnectorName();
  if (table->watermark) {
    s += ", watermark=" + table->watermark->expression->ToString();
  }
  return s + ")";
}

std::string CalcNode::Describe() const {
  std::string s = "Calc(";
  if (filter) s += "where=" + filter->ToString() + ", ";
  s += "select=[";
  for (size_t i = 0; i < projections.size(); ++i) {
    if (i) s += ", ";
    s += projections[i]->ToString();
    if (i < output_schema.size()) s += " AS " + output_schema[i].name;
  }
  return s + "])";
}

std::string WindowAggregateNode::Describe() const {
  std::string s = WindowKindName(window.kind) + "Window(" + window.ToString() +
                  ", time=" + InputSchema(*this)[window.time_column].name +
                  ", keys=" + Columns(group_keys, InputSchema(*this)) +
                  ", aggs=" + Aggregates(aggregates, InputSchema(*this));
  if (allowed_lateness_micros) s += ", allowed lateness=" + FormatDuration(allowed_lateness_micros);
  return s + ")";
}

std::string GroupAggregateNode::Describe() const {
  return "GroupAggregate(keys=" + Columns(group_keys, InputSchema(*this)) +
         ", aggs=" + Aggregates(aggregates, InputSchema(*this)) + ")";
}

std::string ChangelogNormalizeNode::Describe() const {
  return "ChangelogNormalize(key=" + Columns(keys, InputSchema(*this)) + ")";
}

std::string UnionNode::Describe() const {
  return "Union(inputs=" + std::to_string(inputs.size()) + ")";
}

std::string SinkNode::Describe() const {
  return "Sink(table=" + table->name + ", connector=" + table->ConnectorName() + ")";
}

std::string PlanKindName(PlanKind kind) {
  switch (kind) {
    case PlanKind::kScan:
      return "Scan";
    case PlanKind::kCalc:
      return "Calc";
    case PlanKind::kWindowAggregate:
      return "WindowAggregate";
    case PlanKind::kGroupAggregate:
      return "GroupAggregate";
    case PlanKind::kChangelogNormalize:
      return "ChangelogNormalize";
    case PlanKind::kUnion:
      return "Union";
    case PlanKind::kSink:
      return "Sink";
  }
  return "Node";
}

}  // namespace sluice
