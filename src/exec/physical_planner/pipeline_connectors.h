#pragma once
// PipelineConnectors: the Source of every scanned table and the Sink of every INSERT target of a
// pipeline, created through their connectors (FindConnector, ValidateOptions, make_source /
// make_sink), with each source's splits listed. The physical planner needs them for
// parallelism (splits, Sink::MaxParallelism), the Job to create readers and writers.
//
// Built once on one thread; the Sources and Sinks must outlive every reader and writer created
// from them.

#include <map>
#include <memory>
#include <vector>

#include "connectors/connector.h"
#include "exec/physical_planner/physical_planner.h"

namespace sluice {

struct ScanSource {
  const ConnectorSpec* connector = nullptr;
  std::unique_ptr<Source> source;
  std::vector<SourceSplit> splits;
  /// Dead letters and skipped records of this table (shared with its readers).
  std::shared_ptr<SourceErrorCounters> errors;
};

struct SinkTarget {
  const ConnectorSpec* connector = nullptr;
  std::unique_ptr<Sink> sink;
};

class PipelineConnectors {
 public:
  /// `extra` connectors (tests) are looked up by name before the registry. `parallelism` is the
  /// hint given to ListSplits(). With `checkpointing`, every source is told so before its
  /// splits are listed (Source::EnableCheckpointing), and one that cannot take part is an error.
  static Result<PipelineConnectors> Create(const PipelinePlan& plan, const SessionConfig& session,
                                           int parallelism,
                                           const std::vector<const ConnectorSpec*>& extra,
                                           bool checkpointing = false);

  /// Resolvers for PlanStages() backed by these sources and sinks (they refer to this object,
  /// which must stay where it is while they are used).
  PhysicalPlanInputs PlannerInputs(int parallelism) const;

  std::map<const ScanNode*, ScanSource> sources;
  std::map<const SinkNode*, SinkTarget> sinks;
};

/// What a connector sees of `table` as a source (sink = false) or a sink: the columns it reads
/// or writes and their metadata keys. For a sink, every non-VIRTUAL metadata column must be
/// writable by the connector.
Result<TableContext> MakeTableContext(std::shared_ptr<const TableDef> table,
                                      const ConnectorSpec& connector, const SessionConfig& session,
                                      bool sink, bool updating);

/// The connector a table names in 'connector', searching `extra` first; a user error otherwise.
Result<const ConnectorSpec*> ResolveConnector(const TableDef& table,
                                              const std::vector<const ConnectorSpec*>& extra);

}  // namespace sluice
