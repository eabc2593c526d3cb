#pragma once
// OrderGenerator: order events as a pure function of (seed, index), written into the table's
// physical columns by name:
//   order_id     STRING ('ord-00000042') or BIGINT (the index)
//   customer_id  STRING ('cust-0042') or INT/BIGINT
//   amount       DOUBLE or DECIMAL(p, s) with s >= 2 and p - s >= 3 (1.00 .. 500.00)
//   status       STRING (weighted by orders.statuses)
//   timestamp, event_time, ts   BIGINT (epoch milliseconds), TIMESTAMP(p) (UTC wall clock) or
//                TIMESTAMP_LTZ(p)
// Column names match case-insensitively; any other physical column is an error.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "connectors/orders/orders_options.h"

namespace sluice {

struct OrderEvent {
  uint64_t index = 0;
  int64_t customer = 0;
  int64_t amount_cents = 0;
  int status = 0;  // index into OrdersConfig::statuses
  int64_t timestamp_ms = 0;
  bool late = false;
};

class OrderGenerator {
 public:
  static Result<OrderGenerator> Make(const Schema& schema, const OrdersConfig& config);

  OrderEvent Generate(uint64_t index) const;
  int64_t start_time_ms() const { return config_.start_time_ms; }
  /// A restored job keeps the event time of its first run (orders.start-time = 'now').
  void set_start_time_ms(int64_t ms) { config_.start_time_ms = ms; }
  /// A batch of the events first, first + stride, ... (`count` of them).
  Batch Fill(uint64_t first, uint64_t stride, size_t count);

 private:
  enum class Role : uint8_t { kOrderId, kCustomerId, kAmount, kStatus, kTime };

  OrderGenerator(Schema schema, OrdersConfig config)
      : schema_(std::move(schema)), config_(std::move(config)) {}

  Schema schema_;
  OrdersConfig config_;
  std::vector<Role> roles_;  // per physical column
  std::vector<double> cumulative_weights_;
  // Names are made once; columns point at them (kept alive by the batches).
  std::shared_ptr<std::vector<std::string>> names_;
  size_t first_status_name_ = 0;  // names_: customers, then statuses
  std::vector<OrderEvent> events_;
};

}  // namespace sluice
