#pragma once
// ChangelogBuffer: buffers a changelog (rows with +I/-U/+U/-D) and reduces it to the final state
// of each primary key: the key's last row decides — +I or +U: upsert that row; -U or -D: delete
// the key. Applying the reduced state gives the same table as applying every change in order.

#include <string>
#include <unordered_map>
#include <vector>

#include "columnar/batch.h"

namespace sluice {

class ChangelogBuffer {
 public:
  ChangelogBuffer(Schema schema, std::vector<int> key_columns)
      : schema_(std::move(schema)), key_columns_(std::move(key_columns)) {}

  void Add(const Batch& batch);
  size_t rows() const { return rows_.num_rows(); }
  /// The buffered rows; Reduce() returns indices into it.
  const Batch& batch() const { return rows_; }
  /// Rows to upsert and rows whose key is to be deleted, in the order their keys last changed.
  void Reduce(std::vector<uint32_t>* upserts, std::vector<uint32_t>* deletes) const;
  void Clear();

 private:
  void AppendKey(const Batch& batch, size_t row, std::string* key) const;

  Schema schema_;
  std::vector<int> key_columns_;
  Batch rows_;
  std::unordered_map<std::string, uint32_t> last_row_;  // encoded key -> row in rows_
  std::string key_;
};

}  // namespace sluice
