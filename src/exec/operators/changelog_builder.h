#pragma once
// ChangelogBuilder: assembles an updating output batch whose rows come from two batches of the
// same layout — `before` (results emitted earlier: the -U/-D rows) and `after` (new results: the
// +I/+U rows) — in the order the rows were added.

#include <cstdint>
#include <vector>

#include "columnar/batch.h"

namespace sluice {

class ChangelogBuilder {
 public:
  void AddBefore(RowKind kind, uint32_t row) { rows_.push_back({kind, true, row}); }
  void AddAfter(RowKind kind, uint32_t row) { rows_.push_back({kind, false, row}); }
  bool empty() const { return rows_.empty(); }
  size_t size() const { return rows_.size(); }
  void Clear() { rows_.clear(); }

  /// The added rows; row kinds are left out when every row is +I (an append-only batch).
  Batch Build(const Batch& before, const Batch& after) const;

 private:
  struct Row {
    RowKind kind;
    bool from_before;
    uint32_t row;
  };
  std::vector<Row> rows_;
};

}  // namespace sluice
