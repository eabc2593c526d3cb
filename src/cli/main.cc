// sluice: real-time ETL in one binary. See `sluice --help`.

#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"sluice — real-time ETL: Flink SQL pipelines from sources to warehouses", "sluice"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "sluice 0.1.0");

  sluice::cli::RunFlags run_flags;
  auto add_job_flags = [&](CLI::App* cmd) {
    cmd->add_option("file", run_flags.file, "pipeline SQL file")->required();
    cmd->add_option("-p,--parallelism", run_flags.parallelism,
                    "task slots (default: SET 'parallelism.default', else the number of cores)")
        ->check(CLI::Range(1, 1024));
    cmd->add_option("--batch-size", run_flags.batch_size, "rows per batch (default 4096)")
        ->check(CLI::Range(1, 1 << 20));
  };

  auto* run = app.add_subcommand("run", "run a pipeline until its bounded sources end, or Ctrl-C");
  add_job_flags(run);
  run->add_flag("-q,--quiet", run_flags.quiet, "no live status line");

  auto* validate = app.add_subcommand("validate", "check a pipeline's SQL, types and options");
  std::string validate_file;
  validate->add_option("file", validate_file, "pipeline SQL file")->required();

  auto* explain = app.add_subcommand("explain", "print the plan: operators, parallelism, state");
  add_job_flags(explain);

  auto* query =
      app.add_subcommand("query", "run SQL on a DuckDB warehouse file and print the result");
  std::string database, sql;
  query->add_option("database", database, "DuckDB file written by a duckdb sink")->required();
  query->add_option("sql", sql, "SQL to run")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (*run) return sluice::cli::RunCommand(run_flags);
  if (*validate) return sluice::cli::ValidateCommand(validate_file);
  if (*explain) return sluice::cli::ExplainCommand(run_flags);
  if (*query) return sluice::cli::QueryCommand(database, sql);
  return 2;
}
