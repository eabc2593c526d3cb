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
  run->add_option("--from-checkpoint", run_flags.from_checkpoint,
                  "resume from this checkpoint directory (default: the pipeline's latest)");
  run->add_option("--from-savepoint", run_flags.from_savepoint,
                  "resume from this savepoint directory");
  run->add_flag("--allow-non-restored-state", run_flags.allow_non_restored_state,
                "start even if saved state belongs to no operator of the SQL (it is dropped)");

  sluice::cli::CheckpointsFlags checkpoints_flags;
  auto add_checkpoint_target = [&](CLI::App* cmd) {
    cmd->add_option("file", checkpoints_flags.file,
                    "pipeline SQL file (its SETs name the checkpoint directory)");
    cmd->add_option("--dir", checkpoints_flags.dir, "'state.checkpoints.dir'");
    cmd->add_option("--pipeline", checkpoints_flags.pipeline, "'pipeline.name'");
  };
  auto* checkpoints = app.add_subcommand("checkpoints", "list a pipeline's checkpoints");
  checkpoints->require_subcommand(1);
  auto* checkpoints_list =
      checkpoints->add_subcommand("list", "checkpoints and savepoints: id, time, size, offsets");
  add_checkpoint_target(checkpoints_list);
  auto* savepoint = app.add_subcommand(
      "savepoint", "ask a running pipeline for a savepoint (and stop it with --stop)");
  add_checkpoint_target(savepoint);
  savepoint->add_flag("--stop", checkpoints_flags.stop, "stop the pipeline after the savepoint");

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

  sluice::cli::ProduceFlags produce_flags;
  auto* produce = app.add_subcommand(
      "produce", "send generated order events to a Kafka topic (test data, load, oracles)");
  {
    auto& f = produce_flags;
    produce->add_option("-t,--topic", f.topic, "topic to write")->required();
    produce->add_option("-b,--bootstrap", f.bootstrap, "Kafka bootstrap servers")
        ->capture_default_str();
    produce->add_option("--format", f.format, "value format: json or avro-confluent")
        ->capture_default_str();
    produce->add_option("--registry", f.registry, "schema registry URL (avro-confluent)")
        ->capture_default_str();
    auto* count = produce->add_option("-n,--count", f.count, "events to send (default: no limit)")
                      ->check(CLI::NonNegativeNumber);
    produce->add_option("-d,--duration", f.duration, "stop after this long: '30s', '5 min'")
        ->excludes(count);
    produce->add_option("-r,--rate", f.rate, "events per second, or 'unlimited'")
        ->capture_default_str();
    produce
        ->add_option("-p,--partitions", f.partitions,
                     "create the topic with this many partitions if it does not exist")
        ->check(CLI::Range(1, 100000));
    produce->add_option("--replication-factor", f.replication_factor,
                        "for a created topic (default: the broker's)");
    produce->add_option("--seed", f.seed, "generator seed (orders.seed)")->capture_default_str();
    produce
        ->add_option("--start-time", f.start_time,
                     "event time of event 0, UTC, or 'now' (orders.start-time)")
        ->capture_default_str();
    produce
        ->add_option("--event-rate", f.event_rate,
                     "events per second of event time (orders.events-per-second-of-event-time)")
        ->capture_default_str();
    produce
        ->add_option("--out-of-order", f.out_of_order,
                     "move timestamps back by up to this (orders.max-out-of-orderness)")
        ->capture_default_str();
    produce->add_option("--late-ratio", f.late_ratio, "share of late events (orders.late-ratio)")
        ->capture_default_str();
    produce->add_option("--late-by", f.late_by, "how late they are (orders.late-by)")
        ->capture_default_str();
    produce->add_option("--customers", f.customers, "distinct customers (orders.customers)")
        ->capture_default_str();
    produce->add_option("--statuses", f.statuses,
                        "statuses with weights (orders.statuses), e.g. 'paid:1,cancelled:1'");
    produce->add_option("--raw-path", f.raw_path,
                        "also write every event sent as a JSON line to this file");
    produce->add_option("-X,--property", f.properties, "librdkafka property KEY=VALUE");
    produce->add_flag("-q,--quiet", f.quiet, "no progress on stderr");
    produce->add_flag("-v,--verbose", f.verbose, "print librdkafka's log");
  }

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
  if (*produce) return sluice::cli::ProduceCommand(produce_flags);
  if (*checkpoints_list) return sluice::cli::CheckpointsListCommand(checkpoints_flags);
  if (*savepoint) return sluice::cli::SavepointCommand(checkpoints_flags);
  return 2;
}
