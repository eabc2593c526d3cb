#pragma once
// Relation: what planning a FROM item or a query yields — a plan node plus the scope that names
// its columns. A window table function (TABLE(TUMBLE(...))) adds window_start, window_end and
// window_time as *virtual* columns past the node's output; only a window aggregate can use them.

#include <optional>

#include "exec/plan/plan_node.h"
#include "sql/binder/scope.h"

namespace sluice::sql {

struct WindowTvf {
  ::sluice::WindowSpec spec;  // time_column indexes the input node's columns
  int start_column = -1;      // scope indices of the virtual columns
  int end_column = -1;
  int time_column = -1;
  std::vector<int> partition_keys;  // SESSION ... PARTITION BY
  SourceLocation location;
};

struct Relation {
  PlanNodePtr node;
  Scope scope;
  std::optional<WindowTvf> window;
};

}  // namespace sluice::sql
