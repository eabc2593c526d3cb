#include "exec/operators/changelog_builder.h"

namespace sluice {

Batch ChangelogBuilder::Build(const Batch& before, const Batch& after) const {
  Batch combined = before;
  combined.Append(after);
  std::vector<uint32_t> indices(rows_.size());
  std::vector<RowKind> kinds(rows_.size());
  bool any_update = false;
  const uint32_t after_base = static_cast<uint32_t>(before.num_rows());
  for (size_t i = 0; i < rows_.size(); ++i) {
    indices[i] = rows_[i].from_before ? rows_[i].row : after_base + rows_[i].row;
    kinds[i] = rows_[i].kind;
    any_update |= rows_[i].kind != RowKind::kInsert;
  }
  Batch out = combined.Gather(indices.data(), indices.size());
  if (any_update) out.set_row_kinds(std::move(kinds));
  return out;
}

}  // namespace sluice
