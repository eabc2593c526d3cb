#include "test_file.h"

#include <sstream>

namespace sluice::sqltest {

namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

}  // namespace

Result<std::vector<TestStep>> ParseTestFile(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  std::vector<TestStep> steps;
  size_t i = 0;
  auto error = [&](const std::string& msg) {
    return Status::InvalidArgument("test file line " + std::to_string(i + 1) + ": " + msg);
  };
  // Reads lines until a blank line (or '----' when stop_at_separator), joined with '\n'.
  auto read_block = [&](bool stop_at_separator, std::vector<std::string>* out) {
    while (i < lines.size()) {
      std::string t = Trim(lines[i]);
      if (t.empty()) break;
      if (stop_at_separator && t == "----") break;
      out->push_back(lines[i]);
      ++i;
    }
  };
  while (i < lines.size()) {
    std::string t = Trim(lines[i]);
    if (t.empty() || t[0] == '#') {
      ++i;
      continue;
    }
    TestStep step;
    step.line = static_cast<int>(i + 1);
    std::istringstream words(t);
    std::string head, arg;
    words >> head >> arg;
    ++i;
    if (head == "statement") {
      if (arg != "ok" && arg != "error")
        return error("expected 'statement ok' or 'statement error'");
      step.kind = arg == "ok" ? TestStep::Kind::kStatementOk : TestStep::Kind::kStatementError;
      std::vector<std::string> sql;
      read_block(step.kind == TestStep::Kind::kStatementError, &sql);
      for (const auto& l : sql) step.sql += l + "\n";
      if (step.kind == TestStep::Kind::kStatementError) {
        if (i >= lines.size() || Trim(lines[i]) != "----") return error("expected '----'");
        ++i;
        read_block(false, &step.lines);
        if (step.lines.empty()) return error("statement error needs the expected message");
      }
    } else if (head == "input") {
      if (arg.empty()) return error("input needs a table name");
      step.kind = TestStep::Kind::kInput;
      step.table = arg;
      read_block(false, &step.lines);
    } else if (head == "query") {
      step.kind = TestStep::Kind::kQuery;
      if (!arg.empty()) step.mode = arg;
      if (step.mode != "rowsort" && step.mode != "final") return error("unknown query mode " + arg);
      std::vector<std::string> sql;
      read_block(true, &sql);
      for (const auto& l : sql) step.sql += l + "\n";
      if (i >= lines.size() || Trim(lines[i]) != "----") return error("expected '----'");
      ++i;
      read_block(false, &step.lines);
      for (auto& l : step.lines) l = Trim(l);
    } else if (head == "late") {
      step.kind = TestStep::Kind::kLate;
      step.late = std::atoll(arg.c_str());
    } else {
      return error("unknown directive '" + head + "'");
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

}  // namespace sluice::sqltest
