#include "exec/plan/table_def.h"

namespace sluice {

Schema TableDef::FullSchema() const {
  Schema s;
  for (const auto& c : columns) s.fields.push_back(c.field);
  return s;
}

Schema TableDef::PhysicalSchema() const {
  Schema s;
  for (int i : PhysicalColumnIndices()) s.fields.push_back(columns[i].field);
  return s;
}

std::vector<int> TableDef::PhysicalColumnIndices() const {
  std::vector<int> out;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!columns[i].computed && columns[i].metadata_key.empty() && !columns[i].is_virtual) {
      out.push_back(static_cast<int>(i));
    }
  }
  return out;
}

std::string TableDef::ConnectorName() const {
  auto it = options.find("connector");
  return it == options.end() ? "" : it->second;
}

}  // namespace sluice
