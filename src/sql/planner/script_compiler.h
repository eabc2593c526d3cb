#pragma once
// CompileScript: a whole pipeline.sql -> one PipelinePlan.
//
// Statements run in order: CREATE TABLE/VIEW fill the catalog, SET fills the session settings,
// and every INSERT (plain, or inside EXECUTE STATEMENT SET) adds a sink to the one pipeline, so
// all INSERTs of a file run together and share their sources. A bare SELECT is printed, as the
// Flink SQL client would (an implicit 'print' sink). Errors name line and column.

#include <string_view>

#include "connectors/connector.h"
#include "exec/plan/plan_node.h"
#include "runtime/session_config.h"
#include "sql/binder/catalog.h"

namespace sluice::sql {

struct CompiledScript {
  PipelinePlan plan;
  SessionConfig session;
  Catalog catalog;
};

/// `session` holds settings given outside the script (command line); SET statements in the
/// script are applied on top, then validated. `extra_connectors` (tests) are found before the
/// registry's.
Result<CompiledScript> CompileScript(std::string_view sql, SessionConfig session = {},
                                     std::vector<const ConnectorSpec*> extra_connectors = {});

/// Gives every plan node a stable id from its kind and position ("WindowAggregate-3"), the same
/// for the same SQL on every run (state and metrics are keyed by it).
void AssignNodeIds(PipelinePlan& plan);

}  // namespace sluice::sql
