#include "exec/physical_planner/pipeline_connectors.h"

#include <climits>
#include <set>

namespace sluice {

namespace {

void CollectNodes(const PlanNode* node, std::set<const PlanNode*>* seen,
                  std::vector<const PlanNode*>* order) {
  if (!node || !seen->insert(node).second) return;
  for (const auto& input : node->inputs) CollectNodes(input.get(), seen, order);
  order->push_back(node);
}

}  // namespace

Result<const ConnectorSpec*> ResolveConnector(const TableDef& table,
                                              const std::vector<const ConnectorSpec*>& extra) {
  std::string name = table.ConnectorName();
  if (name.empty()) {
    return Status::InvalidOption("table '" + table.name + "' has no 'connector' option");
  }
  auto found = FindConnector(name, extra);
  if (!found.ok()) return found.status().WithContext("table '" + table.name + "'");
  return found;
}

Result<TableContext> MakeTableContext(std::shared_ptr<const TableDef> table,
                                      const ConnectorSpec& connector, const SessionConfig& session,
                                      bool sink, bool updating) {
  const std::vector<int> columns = sink ? table->SinkColumnIndices() : table->SourceColumnIndices();
  if (sink) {
    for (int i : columns) {
      const ColumnDef& column = table->columns[i];
      if (!column.is_metadata()) continue;
      for (const MetadataDef& def : connector.metadata) {
        if (def.key == column.metadata_key && !def.writable) {
          return Status::InvalidArgument(
              "table '" + table->name + "': metadata '" + column.metadata_key + "' of connector '" +
              std::string(connector.name) + "' can only be read; declare column '" +
              column.field.name + "' VIRTUAL to write to this table");
        }
      }
    }
  }
  TableContext context;
  context.physical_schema = table->SchemaOf(columns);
  context.metadata_keys = table->MetadataKeysOf(columns);
  context.session = &session;
  context.updating = updating;
  if (!sink) context.errors = std::make_shared<SourceErrorCounters>();
  context.table = std::move(table);
  return context;
}

Result<PipelineConnectors> PipelineConnectors::Create(
    const PipelinePlan& plan, const SessionConfig& session, int parallelism,
    const std::vector<const ConnectorSpec*>& extra, bool checkpointing) {
  PipelineConnectors out;
  std::set<const PlanNode*> seen;
  std::vector<const PlanNode*> nodes;
  for (const auto& sink : plan.sinks) CollectNodes(sink.get(), &seen, &nodes);

  for (const PlanNode* node : nodes) {
    if (node->kind == PlanKind::kScan) {
      const auto* scan = static_cast<const ScanNode*>(node);
      const TableDef& table = *scan->table;
      ScanSource entry;
      SLUICE_ASSIGN_OR_RETURN(entry.connector, ResolveConnector(table, extra));
      SLUICE_RETURN_IF_ERROR(
          ValidateOptions(*entry.connector, table).WithContext("table '" + table.name + "'"));
      if (!entry.connector->make_source) {
        return Status::Unsupported("table '" + table.name + "': connector '" +
                                   std::string(entry.connector->name) +
                                   "' cannot be read from (it is a sink only)");
      }
      SLUICE_ASSIGN_OR_RETURN(TableContext context,
                              MakeTableContext(scan->table, *entry.connector, session,
                                               /*sink=*/false, /*updating=*/false));
      entry.errors = context.errors;
      auto source = entry.connector->make_source(context);
      if (!source.ok()) return source.status().WithContext("table '" + table.name + "'");
      entry.source = std::move(source).value();
      if (checkpointing) {
        Status enabled = entry.source->EnableCheckpointing();
        if (!enabled.ok()) {
          return enabled.WithContext("table '" + table.name + "' (connector '" +
                                     std::string(entry.connector->name) +
                                     "') with 'execution.checkpointing.interval'");
        }
      }
      auto splits = entry.source->ListSplits(parallelism);
      if (!splits.ok()) return splits.status().WithContext("table '" + table.name + "'");
      entry.splits = std::move(splits).value();
      out.sources.emplace(scan, std::move(entry));
    } else if (node->kind == PlanKind::kSink) {
      const auto* sink = static_cast<const SinkNode*>(node);
      const TableDef& table = *sink->table;
      SinkTarget entry;
      SLUICE_ASSIGN_OR_RETURN(entry.connector, ResolveConnector(table, extra));
      SLUICE_RETURN_IF_ERROR(
          ValidateOptions(*entry.connector, table).WithContext("table '" + table.name + "'"));
      if (!entry.connector->make_sink) {
        return Status::Unsupported("table '" + table.name + "': connector '" +
                                   std::string(entry.connector->name) +
                                   "' cannot be written to (it is a source only)");
      }
      bool updating =
          sink->changelog == ChangelogMode::kUpdating ||
          (!sink->inputs.empty() && sink->inputs[0]->changelog == ChangelogMode::kUpdating);
      SLUICE_ASSIGN_OR_RETURN(
          TableContext context,
          MakeTableContext(sink->table, *entry.connector, session, /*sink=*/true, updating));
      auto made = entry.connector->make_sink(context);
      if (!made.ok()) return made.status().WithContext("table '" + table.name + "'");
      entry.sink = std::move(made).value();
      out.sinks.emplace(sink, std::move(entry));
    }
  }
  return out;
}

PhysicalPlanInputs PipelineConnectors::PlannerInputs(int parallelism) const {
  PhysicalPlanInputs inputs;
  inputs.parallelism = parallelism;
  inputs.source_splits = [this](const ScanNode& scan) {
    auto it = sources.find(&scan);
    return it == sources.end() ? 1 : static_cast<int>(it->second.splits.size());
  };
  inputs.sink_max_parallelism = [this](const SinkNode& sink) {
    auto it = sinks.find(&sink);
    return it == sinks.end() ? INT_MAX : it->second.sink->MaxParallelism();
  };
  return inputs;
}

}  // namespace sluice
