#pragma once
// Plan nodes: the bound, optimized logical plan the SQL planner produces, and the const
// description every operator is created from. A pipeline is a DAG: several sinks may share the
// same source node (Flink's statement set), so nodes are shared_ptrs.
//
// Column layout conventions (operators rely on them):
//   Scan              the table's columns in declared order (physical and computed)
//   ChangelogNormalize the input's layout (the scan of an upsert source)
//   Calc              projections, in order (rows failing the filter are removed first)
//   WindowAggregate   group keys..., aggregates..., window_start, window_end, window_time
//   GroupAggregate    group keys..., aggregates...
//   Union             the first input's layout
//   Sink              the sink table's physical columns

#include <memory>
#include <string>
#include <vector>

#include "exec/plan/aggregate_call.h"
#include "exec/plan/table_def.h"

namespace sluice {

enum class PlanKind : uint8_t {
  kScan,
  kCalc,
  kWindowAggregate,
  kGroupAggregate,
  kChangelogNormalize,
  kUnion,
  kSink,
};

/// What rows a node emits: append-only (+I only) or a changelog (+I/-U/+U/-D).
enum class ChangelogMode : uint8_t { kAppendOnly, kUpdating };

struct PlanNode;
using PlanNodePtr = std::shared_ptr<PlanNode>;

struct PlanNode {
  explicit PlanNode(PlanKind kind) : kind(kind) {}
  virtual ~PlanNode() = default;

  PlanKind kind;
  /// Stable id derived from the SQL (kind + position in the plan), used for state and metrics.
  std::string id;
  Schema output_schema;
  ChangelogMode changelog = ChangelogMode::kAppendOnly;
  /// Index of the event-time (rowtime) column in the output, or -1 once time attributes are lost.
  int rowtime_column = -1;
  std::vector<PlanNodePtr> inputs;

  /// One line for EXPLAIN: "TumbleWindow(size=1 min, keys=[$0], aggs=[COUNT(*), SUM($2)])".
  virtual std::string Describe() const = 0;
};

struct ScanNode : PlanNode {
  ScanNode() : PlanNode(PlanKind::kScan) {}
  std::shared_ptr<const TableDef> table;
  std::string Describe() const override;
};

struct CalcNode : PlanNode {
  CalcNode() : PlanNode(PlanKind::kCalc) {}
  ExprPtr filter;  // may be null
  std::vector<ExprPtr> projections;
  std::string Describe() const override;
};

enum class WindowKind : uint8_t { kTumble, kHop, kCumulate, kSession };

struct WindowSpec {
  WindowKind kind = WindowKind::kTumble;
  int time_column = -1;       // input column holding the event time
  int64_t size_micros = 0;    // TUMBLE size, HOP size, CUMULATE max size
  int64_t slide_micros = 0;   // HOP slide
  int64_t step_micros = 0;    // CUMULATE step
  int64_t gap_micros = 0;     // SESSION gap
  int64_t offset_micros = 0;  // window alignment offset
  /// Windows over TIMESTAMP_LTZ are aligned in the session time zone (as Flink does).
  bool time_is_ltz = false;
  std::string ToString() const;
};

struct WindowAggregateNode : PlanNode {
  WindowAggregateNode() : PlanNode(PlanKind::kWindowAggregate) {}
  WindowSpec window;
  std::vector<int> group_keys;  // input columns (for SESSION also the partition keys)
  std::vector<AggregateCall> aggregates;
  /// Rows are late when their window's end - 1 + allowed_lateness <= watermark.
  int64_t allowed_lateness_micros = 0;
  std::string Describe() const override;
};

struct GroupAggregateNode : PlanNode {
  GroupAggregateNode() : PlanNode(PlanKind::kGroupAggregate) {}
  std::vector<int> group_keys;
  std::vector<AggregateCall> aggregates;
  std::string Describe() const override;
};

/// Flink's ChangelogNormalize: placed by the planner right after the scan of an upsert source
/// (ConnectorSpec::changelog_source), whose rows are +U (the full row, no -U before it, maybe the
/// first row of its key) and -D (maybe only the key columns). Keyed by the table's PRIMARY KEY, it
/// keeps the last row per key and emits a proper changelog: +I for a new key, -U[previous]
/// +U[new] for a changed row, nothing for an identical one, -D[previous full row] for a delete of
/// a known key, nothing for a delete of an unknown key. Output layout = input layout.
struct ChangelogNormalizeNode : PlanNode {
  ChangelogNormalizeNode() : PlanNode(PlanKind::kChangelogNormalize) {}
  std::vector<int> keys;  // the PRIMARY KEY columns, in the input (= output) layout
  std::string Describe() const override;
};

struct UnionNode : PlanNode {
  UnionNode() : PlanNode(PlanKind::kUnion) {}
  std::string Describe() const override;
};

struct SinkNode : PlanNode {
  SinkNode() : PlanNode(PlanKind::kSink) {}
  std::shared_ptr<const TableDef> table;
  std::string Describe() const override;
};

/// All INSERTs of one file, run as one job.
struct PipelinePlan {
  std::vector<std::shared_ptr<SinkNode>> sinks;
  Options settings;  // SET 'key' = 'value'
};

std::string WindowKindName(WindowKind kind);  // "Tumble", "Hop", "Cumulate", "Session"
std::string PlanKindName(PlanKind kind);      // "Scan", "Calc", "WindowAggregate", ...

}  // namespace sluice
