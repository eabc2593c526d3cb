#include "exec/plan/table_def.h"

namespace sluice {

Schema TableDef::FullSchema() const {
  Schema s;
  for (const auto& c : columns) s.fields.push_back(c.field);
  return s;
}

std::vector<int> TableDef::PhysicalColumnIndices() const {
  std::vector<int> out;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].is_physical()) out.push_back(static_cast<int>(i));
  }
  return out;
}

std::vector<int> TableDef::SourceColumnIndices() const {
  std::vector<int> out = PhysicalColumnIndices();
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].is_metadata()) out.push_back(static_cast<int>(i));
  }
  return out;
}

std::vector<int> TableDef::SinkColumnIndices() const {
  std::vector<int> out = PhysicalColumnIndices();
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].is_metadata() && !columns[i].is_virtual) out.push_back(static_cast<int>(i));
  }
  return out;
}

std::vector<int> TableDef::PersistedColumnIndices() const {
  std::vector<int> out;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].is_physical() || (columns[i].is_metadata() && !columns[i].is_virtual)) {
      out.push_back(static_cast<int>(i));
    }
  }
  return out;
}

Schema TableDef::SchemaOf(const std::vector<int>& indices) const {
  Schema s;
  for (int i : indices) s.fields.push_back(columns[i].field);
  return s;
}

std::vector<std::string> TableDef::MetadataKeysOf(const std::vector<int>& indices) const {
  std::vector<std::string> keys;
  for (int i : indices) {
    if (columns[i].is_metadata()) keys.push_back(columns[i].metadata_key);
  }
  return keys;
}

std::string TableDef::ConnectorName() const {
  auto it = options.find("connector");
  return it == options.end() ? "" : it->second;
}

}  // namespace sluice
