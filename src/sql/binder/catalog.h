#pragma once
// Catalog: the tables and views a script declares, in declaration order. One per compile; not
// shared between threads.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "exec/plan/table_def.h"
#include "sql/parser/ast.h"

namespace sluice::sql {

struct ViewDef {
  std::string name;
  std::vector<std::string> column_names;  // CREATE VIEW v (a, b): empty when not written
  std::shared_ptr<const QueryExpr> query;
};

class Catalog {
 public:
  /// Names compare case-insensitively; the last part of a qualified name is the key.
  Status AddTable(std::shared_ptr<const TableDef> table, bool if_not_exists,
                  const SourceLocation& location);
  Status AddView(ViewDef view, bool if_not_exists, const SourceLocation& location);
  Status Drop(const std::string& name, bool if_exists, const SourceLocation& location);

  std::shared_ptr<const TableDef> FindTable(const std::string& name) const;
  const ViewDef* FindView(const std::string& name) const;
  /// Every table and view name, for did-you-mean hints.
  std::vector<std::string> Names() const;
  const std::vector<std::shared_ptr<const TableDef>>& tables() const { return tables_; }

 private:
  static std::string Key(const std::string& name);
  std::vector<std::shared_ptr<const TableDef>> tables_;
  std::map<std::string, size_t> table_index_;
  std::map<std::string, ViewDef> views_;
};

/// "line L, column C: message" — binder errors carry the position like parser errors.
Status ErrorAt(const SourceLocation& location, ErrorCode code, const std::string& message);
/// Prefixes an error status with the position unless it already has one.
Status AddLocation(const Status& status, const SourceLocation& location);

}  // namespace sluice::sql
