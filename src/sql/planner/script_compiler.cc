#include "sql/planner/script_compiler.h"

#include <algorithm>
#include <functional>
#include <set>

#include "common/did_you_mean.h"
#include "exec/functions/function_registry.h"
#include "sql/binder/expression_binder.h"
#include "sql/binder/table_binder.h"
#include "sql/parser/parser.h"
#include "sql/planner/query_planner.h"

namespace sluice::sql {

namespace {

class ScriptCompiler {
 public:
  ScriptCompiler(CompiledScript* out, std::vector<const ConnectorSpec*> extra_connectors)
      : out_(out),
        planner_(&out->catalog, &out->session, extra_connectors),
        extra_connectors_(std::move(extra_connectors)) {}

  Status Run(const Script& script) {
    // SET statements apply to the whole job (Flink applies them to later statements; a job file
    // normally sets them first). Apply them first so planning sees them.
    for (const auto& st : script.statements) {
      if (st.kind == StatementKind::kSet && st.set->has_key) {
        out_->session.Set(st.set->key, st.set->value);
      }
    }
    Status valid = out_->session.Validate();
    if (!valid.ok()) return valid;
    for (const auto& st : script.statements) SLUICE_RETURN_IF_ERROR(Compile(st));
    if (out_->plan.sinks.empty()) {
      return Status::InvalidArgument(
          "the script has no INSERT INTO or SELECT statement: nothing to run");
    }
    out_->plan.settings = out_->session.values();
    AssignNodeIds(out_->plan);
    return Status::OK();
  }

 private:
  Status Compile(const Statement& st) {
    switch (st.kind) {
      case StatementKind::kCreateTable: {
        SLUICE_ASSIGN_OR_RETURN(auto table,
                                BindCreateTable(*st.create_table, st.location, extra_connectors_));
        return out_->catalog.AddTable(table, st.create_table->if_not_exists, st.location);
      }
      case StatementKind::kCreateView: {
        const auto& cv = *st.create_view;
        // Bind once now so errors point at the view, not at its first use.
        SLUICE_ASSIGN_OR_RETURN(Relation rel, planner_.PlanQuery(*cv.query));
        if (!cv.columns.empty() && cv.columns.size() != rel.node->output_schema.size()) {
          return ErrorAt(st.location, ErrorCode::kBindError,
                         "view '" + cv.name.last().name + "' names " +
                             std::to_string(cv.columns.size()) + " columns but its query has " +
                             std::to_string(rel.node->output_schema.size()));
        }
        ViewDef view;
        view.name = cv.name.last().name;
        for (const auto& c : cv.columns) view.column_names.push_back(c.name);
        view.query = std::shared_ptr<const QueryExpr>(cv.query->Clone());
        return out_->catalog.AddView(std::move(view), cv.if_not_exists, st.location);
      }
      case StatementKind::kCreateFunction:
        return ErrorAt(st.location, ErrorCode::kUnsupported,
                       "CREATE FUNCTION (user-defined functions) is not supported yet");
      case StatementKind::kDrop:
        return out_->catalog.Drop(st.drop->name.last().name, st.drop->if_exists, st.location);
      case StatementKind::kSet:
      case StatementKind::kReset:
        return Status::OK();
      case StatementKind::kInsert:
        return CompileInsert(*st.insert);
      case StatementKind::kStatementSet:
        for (const auto& insert : st.statement_set->inserts) {
          SLUICE_RETURN_IF_ERROR(CompileInsert(insert));
        }
        return Status::OK();
      case StatementKind::kQuery:
        return CompileSelect(st);
    }
    return Status::OK();
  }

  Status CompileInsert(const InsertStmt& insert) {
    auto table = out_->catalog.FindTable(insert.table.last().name);
    if (!table) {
      std::string what = out_->catalog.FindView(insert.table.last().name) ? " is a view" : "";
      return ErrorAt(insert.table.location(), ErrorCode::kNotFound,
                     "INSERT INTO unknown table '" + insert.table.ToString() + "'" + what +
                         DidYouMeanSuffix(insert.table.last().name, out_->catalog.Names()));
    }
    SLUICE_ASSIGN_OR_RETURN(Relation rel, planner_.PlanQuery(*insert.query));
    return AddSink(table, rel, insert.columns, insert.location);
  }

  Status CompileSelect(const Statement& st) {
    SLUICE_ASSIGN_OR_RETURN(Relation rel, planner_.PlanQuery(*st.query));
    auto table = std::make_shared<TableDef>();
    table->name = "print_" + std::to_string(out_->plan.sinks.size() + 1);
    for (const auto& f : rel.node->output_schema.fields) table->columns.push_back({f, nullptr});
    table->options["connector"] = "print";
    return AddSink(table, rel, {}, st.location);
  }

  Status AddSink(std::shared_ptr<const TableDef> table, const Relation& rel,
                 const std::vector<Identifier>& column_list, const SourceLocation& location) {
    // The query fills the persisted columns in declared order (physical and non-VIRTUAL
    // metadata, as in Flink); the sink connector receives physical columns first.
    const std::vector<int> persisted = table->PersistedColumnIndices();
    Schema target = table->SchemaOf(persisted);
    const Schema& source = rel.node->output_schema;
    // Which target column each query column feeds.
    std::vector<int> mapping;
    if (column_list.empty()) {
      if (source.size() != target.size()) {
        std::string cols;
        for (size_t i = 0; i < target.size(); ++i) cols += (i ? ", " : "") + target[i].name;
        return ErrorAt(location, ErrorCode::kBindError,
                       "INSERT INTO " + table->name + ": the query gives " +
                           std::to_string(source.size()) + " columns but the table has " +
                           std::to_string(target.size()) + " (" + cols + ")");
      }
      for (size_t i = 0; i < target.size(); ++i) mapping.push_back(static_cast<int>(i));
    } else {
      if (column_list.size() != source.size()) {
        return ErrorAt(location, ErrorCode::kBindError,
                       "INSERT INTO " + table->name + ": " + std::to_string(column_list.size()) +
                           " columns listed but the query gives " + std::to_string(source.size()));
      }
      for (const auto& id : column_list) {
        int idx = target.IndexOf(id.name);
        if (idx < 0) {
          std::vector<std::string> names;
          for (const auto& f : target.fields) names.push_back(f.name);
          return ErrorAt(id.location, ErrorCode::kBindError,
                         "table '" + table->name + "' has no column '" + id.name + "'" +
                             DidYouMeanSuffix(id.name, names));
        }
        mapping.push_back(idx);
      }
    }
    std::vector<ExprPtr> projections(target.size());
    bool identity = column_list.empty();
    for (size_t i = 0; i < mapping.size(); ++i) {
      const Field& to = target[mapping[i]];
      ExprPtr ref = BoundExpr::ColumnRef(static_cast<int>(i), source[i].type, source[i].name);
      if (source[i].type != to.type) {
        auto coerced = CoerceTo(ref, to.type);
        if (!coerced.ok()) {
          return ErrorAt(location, ErrorCode::kTypeError,
                         "INSERT INTO " + table->name + ": column '" + to.name + "' is " +
                             to.type.ToString() + " but the query gives " +
                             source[i].type.ToString() + " ('" + source[i].name + "')");
        }
        ref = *coerced;
        identity = false;
      }
      projections[mapping[i]] = ref;
    }
    for (size_t i = 0; i < projections.size(); ++i) {
      if (!projections[i]) {
        projections[i] = BoundExpr::Literal(Value::Null(target[i].type));
        identity = false;
      }
    }
    const std::vector<int> sink_columns = table->SinkColumnIndices();
    std::vector<ExprPtr> sink_projections;
    std::vector<std::string> names;
    for (size_t i = 0; i < sink_columns.size(); ++i) {
      size_t from =
          std::find(persisted.begin(), persisted.end(), sink_columns[i]) - persisted.begin();
      if (from != i) identity = false;
      sink_projections.push_back(projections[from]);
      names.push_back(table->columns[sink_columns[i]].field.name);
    }
    PlanNodePtr input = rel.node;
    if (!identity) {
      input = MakeCalc(input, nullptr, std::move(sink_projections), std::move(names));
    }
    auto sink = std::make_shared<SinkNode>();
    sink->table = table;
    sink->output_schema = table->SchemaOf(sink_columns);
    sink->changelog = input->changelog;
    sink->inputs.push_back(input);
    out_->plan.sinks.push_back(sink);
    return Status::OK();
  }

  CompiledScript* out_;
  QueryPlanner planner_;
  std::vector<const ConnectorSpec*> extra_connectors_;
};

}  // namespace

void AssignNodeIds(PipelinePlan& plan) {
  std::set<const PlanNode*> seen;
  int next = 1;
  std::function<void(PlanNode*)> visit = [&](PlanNode* node) {
    if (!seen.insert(node).second) return;
    for (const auto& input : node->inputs) visit(input.get());
    node->id = PlanKindName(node->kind) + "-" + std::to_string(next++);
  };
  for (const auto& sink : plan.sinks) visit(sink.get());
}

Result<CompiledScript> CompileScript(std::string_view sql, SessionConfig session,
                                     std::vector<const ConnectorSpec*> extra_connectors) {
  SLUICE_ASSIGN_OR_RETURN(Script script, ParseScript(sql));
  CompiledScript out;
  out.session = std::move(session);
  ScriptCompiler compiler(&out, std::move(extra_connectors));
  SLUICE_RETURN_IF_ERROR(compiler.Run(script));
  return out;
}

}  // namespace sluice::sql
