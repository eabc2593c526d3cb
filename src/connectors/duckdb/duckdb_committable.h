#pragma once
// What a DuckDB staging writer hands over at a barrier (Committable::data): which sink and writer
// staged rows, and the epochs they may belong to. Small JSON, readable in MANIFEST.json:
//
//   {"sink":"3f2a…","writer":1,"from":5,"to":7,"rows":1200}
//
// The committer applies the writer's staged epochs above its marker and at most `to`; `from`
// (the first epoch since the writer's previous pre-commit) and `rows` (staged in those epochs)
// are for people reading manifests.

#include <string>
#include <string_view>

#include "common/status.h"
#include "runtime/checkpoint_types.h"

namespace sluice {

struct DuckDbCommittable {
  std::string sink;  // the sink uid
  int writer = 0;
  CheckpointId from = 0;
  CheckpointId to = 0;
  int64_t rows = 0;
};

std::string EncodeDuckDbCommittable(const DuckDbCommittable& committable);
/// The inverse of EncodeDuckDbCommittable; anything else is an Internal error naming the text.
Result<DuckDbCommittable> DecodeDuckDbCommittable(std::string_view data);

}  // namespace sluice
