#pragma once
// The SQL behaviour test format (test/sql/**/*.test), sqllogictest-style with streaming steps:
//
//   # comment
//   statement ok            SQL until a blank line; DDL/SET accumulate for later queries
//   statement error         SQL, then '----', then text the error message must contain
//   input <table>           rows (comma-separated values, 'quoted' strings, NULL) and
//                           'watermark <timestamp>' lines, in stream order, until a blank line;
//                           a row may start with its kind: '+U 1, 10', '-D 1, NULL' (else +I)
//   query [rowsort|final]   a SELECT, '----', expected rows until a blank line:
//                             rowsort  every changelog row ("+I[...]", "-U[...]"), order ignored
//                             final    the materialized result (updates applied), order ignored
//   late <n>                the previous query counted exactly n late rows

#include <string>
#include <vector>

#include "common/status.h"

namespace sluice::sqltest {

struct TestStep {
  enum class Kind { kStatementOk, kStatementError, kInput, kQuery, kLate };
  Kind kind = Kind::kStatementOk;
  int line = 0;
  std::string sql;
  std::string table;               // kInput
  std::vector<std::string> lines;  // kInput rows / kQuery expected rows / kStatementError text
  std::string mode = "rowsort";    // kQuery
  long long late = 0;              // kLate
};

Result<std::vector<TestStep>> ParseTestFile(const std::string& text);

}  // namespace sluice::sqltest
