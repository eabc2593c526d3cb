#include "connectors/dead_letter/dead_letter_writer.h"

#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <thread>

#include "connectors/filesystem/filesystem_connector.h"
#include "connectors/tests/test_tables.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using testing::DrainSplit;
using testing::MakeContext;
using testing::MakeTable;
using testing::ReadFile;
using testing::TempDir;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Base64(std::string_view bytes) {
  std::string out;
  AppendBase64(bytes, &out);
  return out;
}

TEST(DeadLetterTest, Base64MatchesTheRfcVectors) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("fo"), "Zm8=");
  EXPECT_EQ(Base64("foo"), "Zm9v");
  EXPECT_EQ(Base64("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64(std::string("\xff\xfe\x00", 3)), "//4A");
}

TEST(DeadLetterTest, JsonLineCarriesBytesAndProvenance) {
  DeadLetter letter;
  letter.key = "k1";
  letter.value = "{\"amount\": \"abc\"}";
  letter.table = "orders";
  letter.source = "orders.events";
  letter.partition = 3;
  letter.offset = 42;
  letter.error = "expected a number for column 'amount', got \"abc\"";
  letter.timestamp_micros = 1767225605123456;  // 2026-01-01 00:00:05.123456 UTC
  EXPECT_EQ(DeadLetterJsonLine(letter),
            R"({"table":"orders","source":"orders.events","partition":3,"offset":42,)"
            R"("error":"expected a number for column 'amount', got \"abc\"",)"
            R"("time":"2026-01-01T00:00:05.123Z","key_base64":"azE=",)"
            R"("value_base64":"eyJhbW91bnQiOiAiYWJjIn0=","value_text":"{\"amount\": \"abc\"}"})"
            "\n");
  // Bytes that are not UTF-8 have no text; a tombstone has no bytes.
  letter.key.reset();
  letter.value = std::string_view("\xc3\x28", 2);
  std::string line = DeadLetterJsonLine(letter);
  EXPECT_NE(line.find(R"("key_base64":null,"value_base64":"wyg=","value_text":null})"),
            std::string::npos)
      << line;
  letter.value.reset();
  line = DeadLetterJsonLine(letter);
  EXPECT_NE(line.find(R"("value_base64":null,"value_text":null})"), std::string::npos) << line;
}

TEST(DeadLetterTest, OptionsPickOneDestination) {
  Schema schema{{{"id", LogicalType::Int()}}};
  auto none = MakeDeadLetterWriter(MakeContext(MakeTable("t", schema, {})));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, nullptr);
  auto both = MakeDeadLetterWriter(MakeContext(
      MakeTable("t", schema, {{"dead-letter.path", "/tmp/x"}, {"dead-letter.topic", "dlq"}})));
  EXPECT_EQ(both.status().code(), ErrorCode::kInvalidOption);
  EXPECT_NE(both.status().message().find("cannot both be set"), std::string::npos);
  EXPECT_EQ(CheckDeadLetterOptions({{"dead-letter.path", ""}}).code(), ErrorCode::kInvalidOption);
}

TEST(DeadLetterTest, WritersOfOneFileNeverInterleaveLines) {
  TempDir dir;
  const std::string path = dir.File("sub/dlq.jsonl");  // the parent is created
  constexpr int kThreads = 4;
  constexpr int kLetters = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto writer = MakeFileDeadLetterWriter("t", path);
      ASSERT_TRUE(writer.ok()) << writer.status().ToString();
      std::string value(100 + t * 300, static_cast<char>('a' + t));
      for (int i = 0; i < kLetters; ++i) {
        DeadLetter letter;
        letter.value = value;
        letter.table = "t";
        letter.source = "s";
        letter.offset = i;
        letter.error = "bad";
        ASSERT_TRUE((*writer)->Write(letter).ok());
      }
      ASSERT_TRUE((*writer)->Flush().ok());
    });
  }
  for (auto& thread : threads) thread.join();
  std::vector<std::string> lines = Lines(ReadFile(path));
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kLetters));
  simdjson::dom::parser parser;
  std::vector<int> per_thread(kThreads);
  for (const std::string& line : lines) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(line).get(doc), simdjson::SUCCESS) << line;
    std::string_view text;
    ASSERT_EQ(doc["value_text"].get(text), simdjson::SUCCESS);
    ASSERT_FALSE(text.empty());
    const int t = text[0] - 'a';
    ASSERT_EQ(text, std::string(100 + t * 300, text[0]));
    ++per_thread[t];
  }
  EXPECT_EQ(per_thread, std::vector<int>(kThreads, kLetters));
}

TEST(DeadLetterTest, ADirectoryGetsAFilePerWriterOnItsFirstLetter) {
  TempDir dir;
  const std::string path = dir.File("dlq") + "/";
  auto first = MakeFileDeadLetterWriter("my table", path);
  auto second = MakeFileDeadLetterWriter("my table", path);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_TRUE(fs::is_directory(path));
  EXPECT_TRUE(fs::is_empty(path));  // nothing until a dead letter comes
  DeadLetter letter;
  letter.value = "x";
  ASSERT_TRUE((*first)->Write(letter).ok());
  ASSERT_TRUE((*second)->Write(letter).ok());
  ASSERT_TRUE((*second)->Write(letter).ok());
  ASSERT_TRUE((*first)->Flush().ok());
  std::vector<std::string> names;
  size_t lines = 0;
  for (const auto& entry : fs::directory_iterator(path)) {
    names.push_back(entry.path().filename().string());
    lines += Lines(ReadFile(entry.path().string())).size();
  }
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(lines, 3u);
  const std::string prefix = "dead-letters-my_table-" + std::to_string(getpid()) + "-";
  for (const std::string& name : names) {
    EXPECT_EQ(name.rfind(prefix, 0), 0u) << name;
    EXPECT_TRUE(name.ends_with(".jsonl")) << name;
  }
  // An existing directory without the trailing '/' is a directory too.
  auto third = MakeFileDeadLetterWriter("t", dir.File("dlq"));
  ASSERT_TRUE(third.ok());
  ASSERT_TRUE((*third)->Write(letter).ok());
  EXPECT_EQ(std::distance(fs::directory_iterator(path), fs::directory_iterator()), 3);
}

Schema OrderSchema() {
  return Schema{{{"id", LogicalType::Int()},
                 {"name", LogicalType::Varchar()},
                 {"amount", LogicalType::Double()}}};
}

TEST(FilesystemDeadLetterTest, BadLinesGoToTheDeadLetterFileWithTheirLineNumbers) {
  TempDir dir;
  dir.Write("orders.json",
            "{\"id\": 1, \"name\": \"a\", \"amount\": 1.5}\n"
            "{\"id\": \"two\", \"name\": \"b\"}\n"
            "\n"
            "{\"id\": 3, \"name\": \"c\"}\n"
            "not json at all\n"
            "{\"id\": 5, \"name\": \"caf\xc3\xa9\"}\n"
            "{\"id\": 6, \"amount\": \"\xff\"}");
  Options options{{"connector", "filesystem"},
                  {"path", dir.File("orders.json")},
                  {"format", "json"},
                  {"dead-letter.path", dir.File("dlq.jsonl")}};
  TableContext context = MakeContext(MakeTable("orders", OrderSchema(), options));
  context.errors = std::make_shared<SourceErrorCounters>();
  auto source = kFilesystemConnector.make_source(context);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  auto splits = (*source)->ListSplits(1);
  ASSERT_TRUE(splits.ok());
  // Small polls: the bad records fall at the edges of batches too.
  for (size_t max_rows : {1000, 1, 2}) {
    fs::remove(dir.File("dlq.jsonl"));
    context.errors->dead_letters = 0;
    EXPECT_EQ(
        DrainSplit(**source, (*splits)[0], max_rows),
        (std::vector<std::string>{"+I[1, a, 1.5]", "+I[3, c, null]", "+I[5, caf\xc3\xa9, null]"}));
    EXPECT_EQ(context.errors->dead_letters.load(), 3u);
    EXPECT_EQ(context.errors->skipped.load(), 0u);
    std::vector<std::string> lines = Lines(ReadFile(dir.File("dlq.jsonl")));
    ASSERT_EQ(lines.size(), 3u);
    simdjson::dom::parser parser;
    struct Expected {
      int64_t line;
      std::string_view error;
      std::string_view text;  // "" when not UTF-8
      std::string_view base64;
    };
    const Expected expected[] = {
        {2, "expected a number for column 'id', got \"two\"", R"({"id": "two", "name": "b"})",
         "eyJpZCI6ICJ0d28iLCAibmFtZSI6ICJiIn0="},
        {5, "", "not json at all", "bm90IGpzb24gYXQgYWxs"},
        {7, "", "", "eyJpZCI6IDYsICJhbW91bnQiOiAi/yJ9"},
    };
    for (size_t i = 0; i < lines.size(); ++i) {
      simdjson::dom::element doc;
      ASSERT_EQ(parser.parse(lines[i]).get(doc), simdjson::SUCCESS) << lines[i];
      EXPECT_EQ(std::string_view(doc["table"]), "orders");
      EXPECT_EQ(std::string_view(doc["source"]), dir.File("orders.json"));
      EXPECT_EQ(int64_t(doc["partition"]), -1);
      EXPECT_EQ(int64_t(doc["offset"]), expected[i].line) << lines[i];
      EXPECT_TRUE(doc["key_base64"].is_null());
      EXPECT_EQ(std::string_view(doc["value_base64"]), expected[i].base64) << lines[i];
      if (expected[i].text.empty()) {
        EXPECT_TRUE(doc["value_text"].is_null()) << lines[i];
      } else {
        EXPECT_EQ(std::string_view(doc["value_text"]), expected[i].text);
      }
      if (!expected[i].error.empty()) {
        EXPECT_EQ(std::string_view(doc["error"]), expected[i].error);
      }
      std::string_view time = doc["time"];
      EXPECT_EQ(time.size(), 24u) << time;  // 2026-01-01T00:00:05.123Z
      EXPECT_EQ(time.back(), 'Z');
    }
  }
}

TEST(FilesystemDeadLetterTest, SkippedRecordsAreCountedAndCountersMayBeAbsent) {
  TempDir dir;
  dir.Write("x.json", "{\"id\": 1}\n{oops\n{\"id\": \"x\"}\n{\"id\": 4}\n");
  Options options{{"connector", "filesystem"},
                  {"path", dir.File("x.json")},
                  {"format", "json"},
                  {"json.ignore-parse-errors", "true"}};
  TableContext context = MakeContext(MakeTable("t", OrderSchema(), options));
  context.errors = std::make_shared<SourceErrorCounters>();
  auto source = kFilesystemConnector.make_source(context);
  ASSERT_TRUE(source.ok());
  auto splits = (*source)->ListSplits(1);
  EXPECT_EQ(DrainSplit(**source, (*splits)[0]).size(), 2u);
  EXPECT_EQ(context.errors->skipped.load(), 2u);
  EXPECT_EQ(context.errors->dead_letters.load(), 0u);

  // No counters (unit tests, tools) and a dead-letter directory.
  options["json.ignore-parse-errors"] = "false";
  options["dead-letter.path"] = dir.File("dlq") + "/";
  auto without =
      kFilesystemConnector.make_source(MakeContext(MakeTable("t", OrderSchema(), options)));
  ASSERT_TRUE(without.ok());
  splits = (*without)->ListSplits(1);
  EXPECT_EQ(DrainSplit(**without, (*splits)[0]).size(), 2u);
  size_t lines = 0;
  for (const auto& entry : fs::directory_iterator(dir.File("dlq"))) {
    lines += Lines(ReadFile(entry.path().string())).size();
  }
  EXPECT_EQ(lines, 2u);
}

TEST(FilesystemDeadLetterTest, BothDestinationsAreRejectedWhenTheSourceIsMade) {
  Options options{{"connector", "filesystem"},
                  {"path", "/tmp"},
                  {"format", "json"},
                  {"dead-letter.path", "/tmp/dlq"},
                  {"dead-letter.topic", "dlq"}};
  auto source =
      kFilesystemConnector.make_source(MakeContext(MakeTable("t", OrderSchema(), options)));
  EXPECT_EQ(source.status().code(), ErrorCode::kInvalidOption);
}

TEST(FilesystemFormatsTest, TransportFramedFormatsAreRefusedButDebeziumLinesAreRead) {
  TempDir dir;
  Schema line{{{"line", LogicalType::Varchar()}}};
  Options raw{{"connector", "filesystem"}, {"path", dir.path().string()}, {"format", "raw"}};
  auto source = kFilesystemConnector.make_source(MakeContext(MakeTable("t", line, raw)));
  EXPECT_EQ(source.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(source.status().message().find("cannot read files"), std::string::npos);
  auto sink = kFilesystemConnector.make_sink(MakeContext(MakeTable("t", line, raw)));
  EXPECT_EQ(sink.status().code(), ErrorCode::kUnsupported);

  dir.Write(
      "changes.json",
      "{\"op\":\"c\",\"after\":{\"id\":1,\"name\":\"a\"}}\n"
      "{\"op\":\"u\",\"before\":{\"id\":1,\"name\":\"a\"},\"after\":{\"id\":1,\"name\":\"b\"}}\n"
      "{\"op\":\"d\",\"before\":{\"id\":1,\"name\":\"b\"}}\n");
  Options debezium{
      {"connector", "filesystem"}, {"path", dir.File("changes.json")}, {"format", "debezium-json"}};
  auto changes =
      kFilesystemConnector.make_source(MakeContext(MakeTable("t", OrderSchema(), debezium)));
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  auto splits = (*changes)->ListSplits(1);
  EXPECT_EQ(DrainSplit(**changes, (*splits)[0]),
            (std::vector<std::string>{"+I[1, a, null]", "-U[1, a, null]", "+U[1, b, null]",
                                      "-D[1, b, null]"}));
}

}  // namespace
}  // namespace sluice
