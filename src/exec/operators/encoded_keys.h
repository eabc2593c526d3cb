#pragma once
// EncodedKeys: the group keys of one batch in the form the aggregate hash tables compare. They are
// computed once per batch, a column at a time, and shared by every table the batch updates.

#include <cstdint>
#include <string_view>
#include <vector>

namespace sluice {

/// How group keys are represented; chosen once per operator from the key types.
enum class KeyLayout : uint8_t {
  kNone,   // no group keys: every row is in the one group
  kFixed,  // one fixed-width key: its bits in a uint64_t, plus a NULL flag
  kBytes,  // anything else: one byte string per row (see GroupKeyCodec)
};

struct EncodedKeys {
  size_t num_rows = 0;
  std::vector<uint64_t> hashes;         // HashRows over the key columns (empty for kNone)
  std::vector<uint64_t> fixed;          // kFixed: the key's bits (0 for NULL)
  std::vector<uint8_t> fixed_null;      // kFixed: 1 when the key is NULL
  std::vector<std::string_view> bytes;  // kBytes: views into `buffer`
  std::vector<char> buffer;
  std::vector<size_t> cursor;  // kBytes: scratch write positions while encoding
};

}  // namespace sluice
