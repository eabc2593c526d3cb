// Throughput of the JSON decoder on small records (what a Kafka or file source feeds it).
// Prints records per second; run the Release build for meaningful numbers.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "formats/json/json_format.h"

namespace sluice {
namespace {

TEST(JsonDecoderThroughputTest, SmallOrderRecords) {
  Schema schema{{{"order_id", LogicalType::Varchar()},
                 {"customer_id", LogicalType::Varchar()},
                 {"amount", LogicalType::Double()},
                 {"status", LogicalType::Varchar()},
                 {"timestamp", LogicalType::Bigint()}}};
  constexpr size_t kRecords = 400'000;
  auto text = std::make_shared<std::string>();
  text->reserve(kRecords * 110 + kRecordPadding);
  for (size_t i = 0; i < kRecords; ++i) {
    *text += R"({"order_id":"ord-)" + std::to_string(10000000 + i) + R"(","customer_id":"cust-)" +
             std::to_string(i % 1000) + R"(","amount":)" + std::to_string(i % 500) + "." +
             std::to_string(i % 100) + R"(,"status":"completed","timestamp":)" +
             std::to_string(1767225600000 + i) + "}\n";
  }
  const size_t bytes = text->size();
  text->append(kRecordPadding, '\0');
  std::string_view data(text->data(), bytes);

  auto decoder = kJsonFormat.make_decoder(schema, {});
  ASSERT_TRUE(decoder.ok());
  std::vector<std::string_view> records;
  size_t decoded = 0;
  auto start = std::chrono::steady_clock::now();
  size_t pos = 0;
  while (pos < bytes) {
    records.clear();
    pos += (*decoder)->SplitRecords(data.substr(pos), true, 4096, &records);
    Batch batch;
    DecodeResult result;
    ASSERT_TRUE((*decoder)->Decode({records, text, true}, &batch, &result).ok());
    decoded += batch.num_rows();
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(decoded, kRecords);
  std::printf("json decode: %zu records (%.1f MB) in %.3f s = %.2f M records/s, %.0f MB/s\n",
              decoded, bytes / 1e6, seconds, decoded / seconds / 1e6, bytes / seconds / 1e6);
}

}  // namespace
}  // namespace sluice
