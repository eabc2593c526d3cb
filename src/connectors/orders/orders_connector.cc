#include "connectors/orders/orders_connector.h"

#include <chrono>

#include "connectors/orders/order_generator.h"
#include "connectors/orders/orders_options.h"
#include "connectors/orders/orders_source.h"

namespace sluice {

namespace {

Result<std::unique_ptr<Source>> MakeOrdersSource(const TableContext& context) {
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  SLUICE_ASSIGN_OR_RETURN(OrdersConfig config, ParseOrdersConfig(context.table->options, now_ms));
  // Checks the columns now, so a wrong table fails when the job is planned.
  SLUICE_ASSIGN_OR_RETURN(OrderGenerator check,
                          OrderGenerator::Make(context.physical_schema, config));
  (void)check;
  return std::unique_ptr<Source>(
      std::make_unique<OrdersSource>(context.physical_schema, std::move(config)));
}

}  // namespace

const ConnectorSpec kOrdersConnector = {
    .name = "orders",
    .description =
        "Order events (order_id, customer_id, amount, status, timestamp) with "
        "controlled disorder and lateness, reproducible from a seed.",
    .options =
        {
            {"number-of-rows", "", "Total events; unbounded when not set."},
            {"rows-per-second", "10000", "Events per wall-clock second; 'unlimited' or -1."},
            {"orders.seed", "1", "Seed: the same seed gives the same events."},
            {"orders.start-time", "2026-01-01 00:00:00",
             "Event time of the first event, or 'now'."},
            {"orders.events-per-second-of-event-time", "1000", "Events per event-time second."},
            {"orders.max-out-of-orderness", "0 s", "Random backwards jitter of timestamps."},
            {"orders.late-ratio", "0", "Share of events made late."},
            {"orders.late-by", "2 min", "How far late events are moved back."},
            {"orders.customers", "1000", "Distinct customer ids."},
            {"orders.statuses", "created:10,paid:20,completed:60,cancelled:10",
             "Statuses with relative weights."},
            {"orders.raw-path", "", "Write the emitted rows as JSON lines here."},
        },
    .make_source = MakeOrdersSource,
};

}  // namespace sluice
