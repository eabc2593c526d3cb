#include "sql/binder/catalog.h"

#include <algorithm>
#include <cctype>

namespace sluice::sql {

Status ErrorAt(const SourceLocation& location, ErrorCode code, const std::string& message) {
  return Status(code, location.ToString() + ": " + message);
}

Status AddLocation(const Status& status, const SourceLocation& location) {
  if (status.ok() || status.message().rfind("line ", 0) == 0) return status;
  return Status(status.code(), location.ToString() + ": " + status.message(), status.retryable());
}

std::string Catalog::Key(const std::string& name) {
  std::string k = name;
  std::transform(k.begin(), k.end(), k.begin(), [](unsigned char c) { return std::tolower(c); });
  return k;
}

Status Catalog::AddTable(std::shared_ptr<const TableDef> table, bool if_not_exists,
                         const SourceLocation& location) {
  std::string key = Key(table->name);
  if (table_index_.count(key) || views_.count(key)) {
    if (if_not_exists) return Status::OK();
    return ErrorAt(location, ErrorCode::kBindError,
                   "a table or view named '" + table->name + "' already exists");
  }
  table_index_[key] = tables_.size();
  tables_.push_back(std::move(table));
  return Status::OK();
}

Status Catalog::AddView(ViewDef view, bool if_not_exists, const SourceLocation& location) {
  std::string key = Key(view.name);
  if (table_index_.count(key) || views_.count(key)) {
    if (if_not_exists) return Status::OK();
    return ErrorAt(location, ErrorCode::kBindError,
                   "a table or view named '" + view.name + "' already exists");
  }
  views_.emplace(key, std::move(view));
  return Status::OK();
}

Status Catalog::Drop(const std::string& name, bool if_exists, const SourceLocation& location) {
  std::string key = Key(name);
  if (views_.erase(key)) return Status::OK();
  auto it = table_index_.find(key);
  if (it != table_index_.end()) {
    tables_.erase(tables_.begin() + static_cast<long>(it->second));
    table_index_.clear();
    for (size_t i = 0; i < tables_.size(); ++i) table_index_[Key(tables_[i]->name)] = i;
    return Status::OK();
  }
  if (if_exists) return Status::OK();
  return ErrorAt(location, ErrorCode::kNotFound, "no table or view named '" + name + "'");
}

std::shared_ptr<const TableDef> Catalog::FindTable(const std::string& name) const {
  auto it = table_index_.find(Key(name));
  return it == table_index_.end() ? nullptr : tables_[it->second];
}

const ViewDef* Catalog::FindView(const std::string& name) const {
  auto it = views_.find(Key(name));
  return it == views_.end() ? nullptr : &it->second;
}

std::vector<std::string> Catalog::Names() const {
  std::vector<std::string> names;
  for (const auto& t : tables_) names.push_back(t->name);
  for (const auto& [key, v] : views_) names.push_back(v.name);
  return names;
}

}  // namespace sluice::sql
