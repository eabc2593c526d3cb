// sqltest: runs SQL behaviour test files (see test_file.h) through the real engine.
// Usage: sqltest [--parallelism N] FILE...

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "engine/job.h"
#include "scripted_connector.h"
#include "sql/parser/parser.h"
#include "sql/planner/script_compiler.h"
#include "test_file.h"
#include "types/time_format.h"

namespace sluice::sqltest {
namespace {

std::vector<std::string> SplitValues(const std::string& line) {
  std::vector<std::string> values;
  std::string current;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\'') {
      if (quoted && i + 1 < line.size() && line[i + 1] == '\'') {
        current += "''";
        ++i;
        continue;
      }
      quoted = !quoted;
      current += c;
    } else if (c == ',' && !quoted) {
      values.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  values.push_back(current);
  for (auto& v : values) {
    size_t b = v.find_first_not_of(" \t"), e = v.find_last_not_of(" \t");
    v = b == std::string::npos ? "" : v.substr(b, e - b + 1);
    // '' inside a quoted string is one quote.
    if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') {
      std::string inner = v.substr(1, v.size() - 2), out;
      for (size_t i = 0; i < inner.size(); ++i) {
        out += inner[i];
        if (inner[i] == '\'' && i + 1 < inner.size() && inner[i + 1] == '\'') ++i;
      }
      v = "'" + out + "'";
    }
  }
  return values;
}

std::string WithoutKind(const std::string& row) {
  size_t bracket = row.find('[');
  return bracket == std::string::npos ? row : row.substr(bracket);
}

Result<std::vector<std::string>> Materialize(const std::vector<std::string>& changelog) {
  std::map<std::string, int> counts;
  for (const auto& row : changelog) {
    std::string kind = row.substr(0, 2);
    std::string body = WithoutKind(row);
    if (kind == "+I" || kind == "+U") {
      ++counts[body];
    } else if (--counts[body] < 0) {
      return Status::Internal("retraction of a row that is not in the result: " + row);
    }
  }
  std::vector<std::string> out;
  for (const auto& [row, n] : counts) {
    for (int i = 0; i < n; ++i) out.push_back(row);
  }
  return out;
}

class Runner {
 public:
  Runner(std::string path, int parallelism) : path_(std::move(path)), parallelism_(parallelism) {}

  bool Run() {
    std::ifstream in(path_);
    if (!in) return Fail(0, "cannot read the file");
    std::stringstream text;
    text << in.rdbuf();
    auto steps = ParseTestFile(text.str());
    if (!steps.ok()) return Fail(0, steps.status().message());
    ScriptedInputs().clear();
    for (const auto& step : *steps) {
      if (!RunStep(step)) return false;
    }
    return true;
  }

 private:
  bool Fail(int line, const std::string& message) {
    std::cerr << path_ << ":" << line << " [parallelism " << parallelism_ << "]: " << message
              << "\n";
    return false;
  }

  std::string Script(const std::string& sql) const { return prefix_ + sql; }

  // Errors name lines of the whole script (earlier statements + this one); tests are easier to
  // read with lines counted from the statement under test.
  Status RelativeToStatement(const Status& status) const {
    const std::string& m = status.message();
    int line = 0, column = 0, used = 0;
    if (std::sscanf(m.c_str(), "line %d, column %d%n", &line, &column, &used) != 2) return status;
    int offset = static_cast<int>(std::count(prefix_.begin(), prefix_.end(), '\n'));
    if (line <= offset) return status;
    return Status(status.code(), "line " + std::to_string(line - offset) + ", column " +
                                     std::to_string(column) + m.substr(used));
  }

  bool RunStep(const TestStep& step) {
    switch (step.kind) {
      case TestStep::Kind::kStatementOk: {
        auto parsed = sql::ParseScript(step.sql);
        if (!parsed.ok()) return Fail(step.line, "statement failed: " + parsed.status().message());
        prefix_ += step.sql;
        if (step.sql.find_last_not_of(" \n\t") != std::string::npos &&
            step.sql[step.sql.find_last_not_of(" \n\t")] != ';') {
          prefix_ += ";\n";
        }
        return true;
      }
      case TestStep::Kind::kStatementError: {
        auto compiled = Compile(step.sql);
        Status status = compiled.ok() ? Status::OK() : compiled.status();
        if (status.ok()) {
          auto job = RunJob(*compiled);
          status = job.ok() ? Status::OK() : job.status();
        }
        if (status.ok()) return Fail(step.line, "expected an error, but the statement succeeded");
        status = RelativeToStatement(status);
        for (const auto& expected : step.lines) {
          std::string e = expected.substr(expected.find_first_not_of(' '));
          if (status.message().find(e) == std::string::npos) {
            return Fail(step.line,
                        "error message\n  " + status.message() + "\ndoes not contain\n  " + e);
          }
        }
        return true;
      }
      case TestStep::Kind::kInput: {
        std::string table = step.table;
        std::transform(table.begin(), table.end(), table.begin(), ::tolower);
        auto& script = ScriptedInputs()[table];
        script.clear();
        for (size_t i = 0; i < step.lines.size(); ++i) {
          const std::string& l = step.lines[i];
          ScriptStep s;
          s.line = step.line + 1 + static_cast<int>(i);
          size_t b = l.find_first_not_of(" \t");
          if (l.compare(b, 9, "watermark") == 0) {
            auto ts = ParseTimestamp(l.substr(b + 9));
            if (!ts) return Fail(s.line, "bad watermark timestamp");
            s.is_watermark = true;
            s.watermark = *ts;
          } else {
            // An optional row kind first: "+I", "-U", "+U" or "-D", then the values.
            std::string values = l.substr(b);
            static const std::pair<const char*, RowKind> kKinds[] = {{"+I", RowKind::kInsert},
                                                                     {"-U", RowKind::kUpdateBefore},
                                                                     {"+U", RowKind::kUpdateAfter},
                                                                     {"-D", RowKind::kDelete}};
            for (const auto& [name, kind] : kKinds) {
              if (values.compare(0, 2, name) == 0 && values.size() > 2 &&
                  (values[2] == ' ' || values[2] == '\t')) {
                s.kind = kind;
                values = values.substr(3);
              }
            }
            s.values = SplitValues(values);
          }
          script.push_back(std::move(s));
        }
        return true;
      }
      case TestStep::Kind::kQuery: {
        auto compiled = Compile(step.sql);
        if (!compiled.ok())
          return Fail(step.line, "query failed to compile: " + compiled.status().message());
        auto late = RunJob(*compiled);
        if (!late.ok()) return Fail(step.line, "query failed: " + late.status().message());
        last_late_ = *late;
        std::vector<std::string> actual = CollectedRows::Instance().Take();
        if (step.mode == "final") {
          auto materialized = Materialize(actual);
          if (!materialized.ok()) return Fail(step.line, materialized.status().message());
          actual = *materialized;
        }
        std::vector<std::string> expected = step.lines;
        std::sort(actual.begin(), actual.end());
        std::sort(expected.begin(), expected.end());
        if (actual != expected) {
          std::string msg = "result mismatch\n--- expected\n";
          for (const auto& r : expected) msg += "  " + r + "\n";
          msg += "--- actual\n";
          for (const auto& r : actual) msg += "  " + r + "\n";
          return Fail(step.line, msg);
        }
        return true;
      }
      case TestStep::Kind::kLate:
        if (last_late_ != static_cast<uint64_t>(step.late)) {
          return Fail(step.line, "expected " + std::to_string(step.late) + " late rows, counted " +
                                     std::to_string(last_late_));
        }
        return true;
    }
    return true;
  }

  Result<sql::CompiledScript> Compile(const std::string& sql) {
    SessionConfig session;
    session.Set("parallelism.default", std::to_string(parallelism_));
    auto compiled = sql::CompileScript(
        Script(sql), session, {&kScriptedConnector, &kScriptedUpsertConnector, &kCollectConnector});
    if (!compiled.ok()) return compiled.status();
    // Results go to the collecting sink.
    for (auto& sink : compiled->plan.sinks) {
      auto table = std::make_shared<TableDef>(*sink->table);
      table->options = {{"connector", "collect"}};
      sink->table = table;
    }
    return compiled;
  }

  // Runs the job to its end; returns the number of late rows it counted.
  Result<uint64_t> RunJob(sql::CompiledScript& compiled) {
    JobOptions options;
    options.extra_connectors = {&kScriptedConnector, &kScriptedUpsertConnector, &kCollectConnector};
    auto job = Job::Create(compiled.plan, compiled.session, options);
    if (!job.ok()) return job.status();
    SLUICE_RETURN_IF_ERROR((*job)->Run());
    return (*job)->metrics().Read().total_late;
  }

  std::string path_;
  int parallelism_;
  std::string prefix_;
  uint64_t last_late_ = 0;
};

}  // namespace
}  // namespace sluice::sqltest

int main(int argc, char** argv) {
  int parallelism = 1;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--parallelism" && i + 1 < argc) {
      parallelism = std::atoi(argv[++i]);
    } else {
      files.push_back(a);
    }
  }
  int passed = 0, failed = 0;
  for (const auto& f : files) {
    sluice::sqltest::Runner runner(f, parallelism);
    if (runner.Run()) {
      ++passed;
    } else {
      ++failed;
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 && passed > 0 ? 0 : 1;
}
