// End-to-end throughput of the filesystem source with the json format (read, frame, decode).
// Prints records per second; run the Release build for meaningful numbers.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "connectors/filesystem/file_source.h"
#include "connectors/tests/test_tables.h"
#include "formats/json/json_format.h"

namespace sluice {
namespace {

TEST(FileSourceThroughputTest, JsonOrderRecords) {
  testing::TempDir dir;
  Schema schema{{{"order_id", LogicalType::Varchar()},
                 {"customer_id", LogicalType::Varchar()},
                 {"amount", LogicalType::Double()},
                 {"status", LogicalType::Varchar()},
                 {"timestamp", LogicalType::Bigint()}}};
  constexpr size_t kRecords = 300'000;
  std::string text;
  for (size_t i = 0; i < kRecords; ++i) {
    text += R"({"order_id":"ord-)" + std::to_string(10000000 + i) + R"(","customer_id":"cust-)" +
            std::to_string(i % 1000) + R"(","amount":)" + std::to_string(i % 500) + ".25" +
            R"(,"status":"completed","timestamp":)" + std::to_string(1767225600000 + i) + "}\n";
  }
  dir.Write("orders.json", text);
  double best = 1e9;
  for (int run = 0; run < 5; ++run) {
    auto decoder = kJsonFormat.make_decoder(schema, {});
    auto reader = MakeFileSplitReader(dir.File("orders.json"), std::move(decoder).value());
    ASSERT_TRUE((*reader)->Open().ok());
    auto start = std::chrono::steady_clock::now();
    size_t rows = 0;
    bool end = false;
    while (!end) {
      auto batch = (*reader)->Poll(4096, &end);
      ASSERT_TRUE(batch.ok());
      rows += batch->num_rows();
    }
    best = std::min(
        best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    ASSERT_EQ(rows, kRecords);
  }
  std::printf("filesystem json source: %zu records (%.1f MB) in %.3f s = %.2f M records/s\n",
              kRecords, text.size() / 1e6, best, kRecords / best / 1e6);
}

}  // namespace
}  // namespace sluice
