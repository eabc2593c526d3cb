#include "sql/parser/keywords.h"

#include <gtest/gtest.h>

namespace sluice::sql {
namespace {

TEST(KeywordsTest, EveryReservedWordIsFound) {
  // The lookup is a binary search: this also proves the table is sorted.
  const char* words[] = {
      "ALL",       "AND",      "AS",
      "BETWEEN",   "BY",       "CASE",
      "CAST",      "CREATE",   "CROSS",
      "DISTINCT",  "ELSE",     "END",
      "EXCEPT",    "EXISTS",   "FALSE",
      "FETCH",     "FOR",      "FROM",
      "FULL",      "GROUP",    "HAVING",
      "IN",        "INNER",    "INSERT",
      "INTERSECT", "INTERVAL", "IS",
      "JOIN",      "LATERAL",  "LEFT",
      "LIKE",      "LIMIT",    "MATCH_RECOGNIZE",
      "MINUS",     "NATURAL",  "NOT",
      "NULL",      "OFFSET",   "ON",
      "OR",        "ORDER",    "OUTER",
      "OVER",      "RIGHT",    "SELECT",
      "SIMILAR",   "TABLE",    "THEN",
      "TRUE",      "UNION",    "USING",
      "VALUES",    "WHEN",     "WHERE",
      "WINDOW",    "WITH",
  };
  for (const char* word : words) {
    EXPECT_TRUE(IsReservedWord(word)) << word;
  }
  EXPECT_TRUE(IsReservedWord("select"));
  EXPECT_TRUE(IsReservedWord("Match_Recognize"));
}

TEST(KeywordsTest, CommonColumnNamesAreNotReserved) {
  for (const char* word : {"status", "name", "key", "value", "date", "timestamp", "time", "count",
                           "window_start", "partition", "year", "data", "user", "type"}) {
    EXPECT_FALSE(IsReservedWord(word)) << word;
  }
}

TEST(KeywordsTest, PlainIdentifiers) {
  EXPECT_TRUE(IsPlainIdentifier("dateTime"));
  EXPECT_TRUE(IsPlainIdentifier("_x1$"));
  EXPECT_FALSE(IsPlainIdentifier("my col"));
  EXPECT_FALSE(IsPlainIdentifier("1abc"));
  EXPECT_FALSE(IsPlainIdentifier(""));
  EXPECT_FALSE(IsPlainIdentifier("from"));
  EXPECT_FALSE(IsPlainIdentifier("current_date"));  // would read back as the function
}

TEST(KeywordsTest, TimeUnits) {
  EXPECT_EQ(TimeUnitFromWord("day"), TimeUnit::kDay);
  EXPECT_EQ(TimeUnitFromWord("DAYS"), TimeUnit::kDay);
  EXPECT_EQ(TimeUnitFromWord("Millisecond"), TimeUnit::kMillisecond);
  EXPECT_EQ(TimeUnitFromWord("isoyear"), TimeUnit::kIsoYear);
  EXPECT_EQ(TimeUnitFromWord("epoch"), TimeUnit::kEpoch);
  EXPECT_EQ(TimeUnitFromWord("fortnight"), TimeUnit::kNone);
  EXPECT_EQ(TimeUnitName(TimeUnit::kQuarter), "QUARTER");
}

TEST(KeywordsTest, CaseHelpers) {
  EXPECT_TRUE(EqualsIgnoreCase("SeLeCt", "SELECT"));
  EXPECT_FALSE(EqualsIgnoreCase("SELECT", "SELECTS"));
  EXPECT_EQ(ToUpperAscii("abc_é"), "ABC_é");
}

}  // namespace
}  // namespace sluice::sql
