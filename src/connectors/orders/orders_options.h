#pragma once
// Options of the 'orders' connector: a generator of e-commerce order events shaped like the
// OrderEvent record (order_id, customer_id, amount, status, timestamp), for event-time pipelines
// whose results must be checkable: every event is a pure function of (orders.seed, its index).
//
//   number-of-rows             Default: none (unbounded).
//   rows-per-second            Default: 10000 (wall-clock pace, over all splits); 'unlimited'
//                              or -1 for as fast as possible.
//   orders.seed                Default: 1.
//   orders.start-time          Default: '2026-01-01 00:00:00' (UTC). Event time of event 0;
//                              'now' for the wall clock when the job starts.
//   orders.events-per-second-of-event-time  Default: 1000. Event i happens at
//                              start + i / this many seconds (before jitter).
//   orders.max-out-of-orderness  Default: '0 s'. Each timestamp moves back by a uniform random
//                              0..this (millisecond steps).
//   orders.late-ratio          Default: 0. Share of events moved back a further orders.late-by.
//   orders.late-by             Default: '2 min'.
//   orders.customers           Default: 1000. customer_id is one of 'cust-0000' .. .
//   orders.statuses            Default: 'created:10,paid:20,completed:60,cancelled:10'.
//                              Names with optional relative weights (default weight 1).
//   orders.raw-path            Default: none. Also write every emitted row, in emission order,
//                              as JSON lines (the json format, same field names): to this file
//                              when the source has one split, else to '<raw-path>/split-<i>.jsonl'.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "exec/plan/table_def.h"

namespace sluice {

struct OrderStatusWeight {
  std::string name;
  double weight = 1;
};

struct OrdersConfig {
  double rows_per_second = 10000;  // 0: unlimited
  std::optional<int64_t> number_of_rows;
  uint64_t seed = 1;
  int64_t start_time_ms = 0;
  bool start_time_now = false;  // 'now': a restore keeps the start time of the first run
  double events_per_second = 1000;
  int64_t max_out_of_orderness_ms = 0;
  double late_ratio = 0;
  int64_t late_by_ms = 120'000;
  int64_t customers = 1000;
  std::vector<OrderStatusWeight> statuses;
  std::string raw_path;
};

/// `now_ms`: the wall clock that 'orders.start-time' = 'now' resolves to.
Result<OrdersConfig> ParseOrdersConfig(const Options& options, int64_t now_ms);

}  // namespace sluice
