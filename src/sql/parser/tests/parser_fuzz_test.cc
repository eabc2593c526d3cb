// A deterministic, libFuzzer-free robustness check: hundreds of mutated variants (truncations,
// byte flips, deletions, duplications, inserted tokens) of a realistic script must each either
// parse or fail with a positioned user error — never crash, hang or return another kind of error.
// Whatever parses must also print to SQL that parses back to the same print.

#include <random>

#include <gtest/gtest.h>

#include "sql/parser/parser.h"

namespace sluice::sql {
namespace {

// The seed guide's DDL and INSERT plus a few Nexmark-style statements, so mutations reach every
// part of the grammar.
constexpr std::string_view kCorpus = R"sql(
SET 'table.exec.mini-batch.enabled' = 'true';
CREATE TABLE orders_kafka (
    order_id    STRING,
    customer_id STRING,
    amount      DOUBLE,
    status      STRING,
    event_time  TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
    'connector'                   = 'kafka',
    'topic'                       = 'orders.events',
    'properties.bootstrap.servers'= 'localhost:9092',
    'format'                      = 'avro-confluent',
    'avro-confluent.url'          = 'http://localhost:8081',
    'scan.startup.mode'           = 'earliest-offset'
);
INSERT INTO orders_summary_sink
SELECT
    TUMBLE_START(event_time, INTERVAL '1' MINUTE) AS window_start,
    TUMBLE_END(event_time,   INTERVAL '1' MINUTE) AS window_end,
    COUNT(*)   AS total_orders,
    SUM(amount) AS total_revenue,
    AVG(amount) AS avg_order_value
FROM orders_kafka
WHERE status = 'completed'
GROUP BY TUMBLE(event_time, INTERVAL '1' MINUTE);
CREATE VIEW recent (id, total) AS
  WITH w AS (SELECT * FROM orders_kafka WHERE amount BETWEEN 1 AND 10 OR status IN ('a', 'b'))
  SELECT customer_id, CAST(SUM(amount) AS DECIMAL(10, 2)) FROM w GROUP BY customer_id;
EXECUTE STATEMENT SET BEGIN
INSERT INTO hot SELECT auction, count(*) FILTER (WHERE price > 10) AS num, window_start
  FROM TABLE(HOP(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
  GROUP BY auction, window_start, window_end;
INSERT INTO top SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY a ORDER BY b DESC) AS rn
  FROM t) WHERE rn <= 3 AND NOT (x LIKE 'a%' ESCAPE '!') AND y IS NOT NULL;
END;
SELECT CASE WHEN EXTRACT(HOUR FROM ts) >= 8 THEN 'day' ELSE TRIM(BOTH ' ' FROM s) END,
  a.x || '/' || SUBSTRING(s FROM 2 FOR 3), TIMESTAMPADD(DAY, 1, ts), /* comment */ -1.5e3
FROM a LEFT JOIN b FOR SYSTEM_TIME AS OF a.p AS bb ON a.id = bb.id, c
ORDER BY 1 LIMIT 10;
)sql";

constexpr std::string_view kTokens[] = {
    "(",      ")",    ",",          ";",     "'",    "`",        "--",    "/*",     "*/",
    "SELECT", "FROM", "(SELECT 1)", "WHERE", "JOIN", "ON",       "AS",    "TABLE(", "INTERVAL",
    "ROW<",   ">",    "NOT",        "NULL",  "CASE", "END",      "BEGIN", "=>",     "DESCRIPTOR(",
    "*",      "-",    "||",         "1e",    ".",    "\xc3\xa9", "\n",    "TIME",   "OVER (",
};

std::string Mutate(std::string text, std::mt19937& rng) {
  auto pick = [&](size_t bound) {
    return std::uniform_int_distribution<size_t>(0, bound == 0 ? 0 : bound - 1)(rng);
  };
  int mutations = 1 + static_cast<int>(pick(4));
  for (int m = 0; m < mutations && !text.empty(); ++m) {
    size_t at = pick(text.size());
    switch (pick(5)) {
      case 0:  // truncate
        text.resize(at);
        break;
      case 1:  // flip a byte to any value
        text[at] = static_cast<char>(pick(256));
        break;
      case 2:  // delete a range
        text.erase(at, pick(40));
        break;
      case 3: {  // duplicate a range
        std::string range = text.substr(at, pick(60));
        text.insert(at, range);
        break;
      }
      default:  // insert a token
        text.insert(at, kTokens[pick(std::size(kTokens))]);
        break;
    }
  }
  return text;
}

TEST(ParserFuzzTest, TheUnmutatedCorpusParses) {
  Result<Script> script = ParseScript(kCorpus);
  ASSERT_TRUE(script.ok()) << script.status().ToString();
  EXPECT_EQ(script->statements.size(), 6u);
}

TEST(ParserFuzzTest, MutatedScriptsNeverCrash) {
  std::mt19937 rng(20240601);
  int parsed = 0;
  int rejected = 0;
  for (int i = 0; i < 800; ++i) {
    std::string variant = Mutate(std::string(kCorpus), rng);
    Result<Script> script = ParseScript(variant);
    if (script.ok()) {
      ++parsed;
      std::string printed = script->ToString();
      Result<Script> again = ParseScript(printed);
      ASSERT_TRUE(again.ok()) << "variant " << i << " printed to SQL that does not parse: "
                              << again.status().ToString() << "\n--- printed:\n"
                              << printed << "\n--- variant:\n"
                              << variant;
      EXPECT_EQ(again->ToString(), printed) << "variant " << i;
      continue;
    }
    ++rejected;
    const Status& status = script.status();
    EXPECT_TRUE(status.code() == ErrorCode::kSyntaxError ||
                status.code() == ErrorCode::kUnsupported)
        << "variant " << i << ": " << status.ToString();
    EXPECT_EQ(status.message().rfind("line ", 0), 0u)
        << "variant " << i << ": " << status.ToString();
  }
  // Both outcomes must actually be exercised for the test to mean anything.
  EXPECT_GT(parsed, 20);
  EXPECT_GT(rejected, 200);
}

TEST(ParserFuzzTest, EveryPrefixOfTheCorpus) {
  // Truncation at every byte exercises every "unexpected end of input" path.
  for (size_t length = 0; length <= kCorpus.size(); ++length) {
    Result<Script> script = ParseScript(kCorpus.substr(0, length));
    if (!script.ok()) {
      // Unsupported happens too: "TIMESTAMP" cut to "TIME" names a type sluice lacks.
      EXPECT_TRUE(script.status().code() == ErrorCode::kSyntaxError ||
                  script.status().code() == ErrorCode::kUnsupported)
          << length << ": " << script.status().ToString();
    }
  }
}

}  // namespace
}  // namespace sluice::sql
