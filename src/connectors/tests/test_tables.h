#pragma once
// Test fixtures for connector tests: tables built from a schema and options, temporary
// directories, and draining a source split by split.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "connectors/connector.h"

namespace sluice::testing {

inline std::shared_ptr<TableDef> MakeTable(const std::string& name, const Schema& schema,
                                           Options options, std::vector<int> primary_key = {}) {
  auto table = std::make_shared<TableDef>();
  table->name = name;
  for (const Field& f : schema.fields) {
    ColumnDef column;
    column.field = f;
    table->columns.push_back(column);
  }
  table->options = std::move(options);
  table->primary_key = std::move(primary_key);
  for (int k : table->primary_key) table->columns[k].field.nullable = false;
  return table;
}

inline TableContext MakeContext(std::shared_ptr<TableDef> table, bool updating = false) {
  TableContext context;
  for (const ColumnDef& c : table->columns) context.physical_schema.fields.push_back(c.field);
  context.table = std::move(table);
  context.updating = updating;
  return context;
}

/// A fresh directory under the system temp dir, removed when the object goes away.
class TempDir {
 public:
  TempDir() {
    std::random_device device;
    path_ = std::filesystem::temp_directory_path() /
            ("sluice-connectors-" + std::to_string(device()) + std::to_string(device()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
  }

 private:
  std::filesystem::path path_;
};

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Reads one split to its end; every row as Flink prints it.
inline std::vector<std::string> DrainSplit(Source& source, const SourceSplit& split,
                                           size_t max_rows = 1000) {
  auto reader = source.CreateReader(split);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return {};
  EXPECT_TRUE((*reader)->Open().ok());
  std::vector<std::string> rows;
  bool end = false;
  for (int polls = 0; !end && polls < 1'000'000; ++polls) {
    auto batch = (*reader)->Poll(max_rows, &end);
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch.ok()) break;
    EXPECT_LE(batch->num_rows(), max_rows);
    for (size_t r = 0; r < batch->num_rows(); ++r) rows.push_back(batch->RowToString(r));
  }
  EXPECT_TRUE(end);
  EXPECT_TRUE((*reader)->Close().ok());
  return rows;
}

}  // namespace sluice::testing
