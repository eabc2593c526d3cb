// Throughput of the Avro decoders on the seed's OrderEvent records (what a Kafka source feeds
// them: one message per record). Prints records per second; run the Release build for meaningful
// numbers: formats_tests --gtest_filter='*Throughput*'

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "formats/avro/avro_binary.h"
#include "formats/avro/avro_format.h"
#include "formats/avro_confluent/avro_confluent_format.h"

namespace sluice {
namespace {

constexpr size_t kRecords = 1'000'000;
constexpr size_t kBatch = 4096;

Schema OrderTable() {
  return Schema{{{"order_id", LogicalType::Varchar()},
                 {"customer_id", LogicalType::Varchar()},
                 {"amount", LogicalType::Double()},
                 {"status", LogicalType::Varchar()},
                 {"timestamp", LogicalType::Bigint()}}};
}

struct Messages {
  std::shared_ptr<std::string> bytes = std::make_shared<std::string>();
  std::vector<std::string_view> views;
};

// `header` before each body; `nullable` writes the union branch index before each field, as the
// table-derived schema (["null", T]) has it.
Messages MakeMessages(const std::string& header, bool nullable) {
  Messages m;
  std::vector<size_t> ends;
  m.bytes->reserve(kRecords * 60);
  for (size_t i = 0; i < kRecords; ++i) {
    m.bytes->append(header);
    auto field = [&] {
      if (nullable) AppendAvroLong(1, m.bytes.get());
    };
    field();
    AppendAvroBytes("ord-" + std::to_string(10000000 + i), m.bytes.get());
    field();
    AppendAvroBytes("cust-" + std::to_string(i % 1000), m.bytes.get());
    field();
    AppendAvroDouble(static_cast<double>(i % 500) + (i % 100) / 100.0, m.bytes.get());
    field();
    AppendAvroBytes("completed", m.bytes.get());
    field();
    AppendAvroLong(static_cast<int64_t>(1767225600000 + i), m.bytes.get());
    ends.push_back(m.bytes->size());
  }
  size_t start = 0;
  for (size_t end : ends) {
    m.views.emplace_back(m.bytes->data() + start, end - start);
    start = end;
  }
  return m;
}

void Measure(const char* name, RecordDecoder& decoder, const Messages& m) {
  size_t decoded = 0;
  auto start = std::chrono::steady_clock::now();
  for (size_t pos = 0; pos < m.views.size(); pos += kBatch) {
    size_t n = std::min(kBatch, m.views.size() - pos);
    Batch batch;
    DecodeResult result;
    Status st =
        decoder.Decode({std::span(m.views).subspan(pos, n), m.bytes, false}, &batch, &result);
    ASSERT_TRUE(st.ok()) << st.ToString();
    decoded += batch.num_rows();
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(decoded, kRecords);
  std::printf("%s decode: %zu records (%.1f MB) in %.3f s = %.2f M records/s, %.0f MB/s\n", name,
              decoded, m.bytes->size() / 1e6, seconds, decoded / seconds / 1e6,
              m.bytes->size() / seconds / 1e6);
}

TEST(AvroThroughputTest, OrderEventsAvro) {
  Messages m = MakeMessages("", /*nullable=*/true);
  auto decoder = kAvroFormat.make_decoder(OrderTable(), {});
  ASSERT_TRUE(decoder.ok());
  Measure("avro", **decoder, m);
}

TEST(AvroThroughputTest, OrderEventsAvroConfluent) {
  auto registry = std::make_shared<InMemorySchemaRegistry>();
  registry->Put(
      42, R"({"type":"record","name":"OrderEvent","fields":[{"name":"order_id","type":"string"},)"
          R"({"name":"customer_id","type":"string"},{"name":"amount","type":"double"},)"
          R"({"name":"status","type":"string"},)"
          R"({"name":"timestamp","type":"long","logicalType":"timestamp-millis"}]})");
  AvroConfluentOptions options;
  options.registry.url = "mem://throughput";
  auto decoder = MakeAvroConfluentRecordDecoder(OrderTable(), options, registry);
  ASSERT_TRUE(decoder.ok());
  Messages m = MakeMessages(std::string("\0\0\0\0\x2a", 5), /*nullable=*/false);
  Measure("avro-confluent", **decoder, m);
}

}  // namespace
}  // namespace sluice
