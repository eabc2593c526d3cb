#include "connectors/orders/orders_options.h"

#include "connectors/datagen/rate_limiter.h"
#include "formats/option_reader.h"
#include "runtime/session_config.h"
#include "types/time_format.h"

namespace sluice {

namespace {

Result<int64_t> DurationMillis(const OptionReader& reader, const char* key, const char* fallback) {
  auto micros = ParseDuration(reader.String(key, fallback));
  if (!micros.ok()) return micros.status().WithContext(std::string("option '") + key + "'");
  if (*micros < 0) return Status::InvalidOption(std::string("option '") + key + "' is negative");
  return *micros / kMicrosPerMilli;
}

Result<std::vector<OrderStatusWeight>> ParseStatuses(const std::string& text) {
  std::vector<OrderStatusWeight> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(pos, comma - pos);
    pos = comma + 1;
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    OrderStatusWeight status;
    size_t colon = item.find(':');
    status.name = item.substr(0, colon);
    if (colon != std::string::npos) {
      Options one{{"weight", item.substr(colon + 1)}};
      auto weight = OptionReader(one).Double("weight", 1);
      if (!weight.ok() || *weight <= 0) {
        return Status::InvalidOption("option 'orders.statuses': bad weight in '" + item +
                                     "' (expected name:positive-number)");
      }
      status.weight = *weight;
    }
    if (status.name.empty()) {
      return Status::InvalidOption("option 'orders.statuses': empty status name in '" + text + "'");
    }
    out.push_back(std::move(status));
  }
  return out;
}

}  // namespace

Result<OrdersConfig> ParseOrdersConfig(const Options& options, int64_t now_ms) {
  OptionReader reader(options);
  OrdersConfig config;
  SLUICE_ASSIGN_OR_RETURN(config.rows_per_second, ParseRowsPerSecond(options, 10000));
  if (reader.Has("number-of-rows")) {
    SLUICE_ASSIGN_OR_RETURN(int64_t rows, reader.Int("number-of-rows", 0, 0));
    config.number_of_rows = rows;
  }
  SLUICE_ASSIGN_OR_RETURN(int64_t seed, reader.Int("orders.seed", 1));
  config.seed = static_cast<uint64_t>(seed);

  std::string start = reader.String("orders.start-time", "2026-01-01 00:00:00");
  if (start == "now") {
    config.start_time_ms = now_ms;
    config.start_time_now = true;
  } else {
    std::optional<int64_t> micros = ParseTimestamp(start);
    if (!micros) {
      return Status::InvalidOption(
          "option 'orders.start-time' expects 'yyyy-MM-dd HH:mm:ss' or 'now', got '" + start + "'");
    }
    config.start_time_ms = FloorDiv(*micros, kMicrosPerMilli);
  }
  SLUICE_ASSIGN_OR_RETURN(config.events_per_second,
                          reader.Double("orders.events-per-second-of-event-time", 1000));
  if (!(config.events_per_second > 0)) {
    return Status::InvalidOption(
        "option 'orders.events-per-second-of-event-time' must be positive");
  }
  SLUICE_ASSIGN_OR_RETURN(config.max_out_of_orderness_ms,
                          DurationMillis(reader, "orders.max-out-of-orderness", "0 s"));
  SLUICE_ASSIGN_OR_RETURN(config.late_ratio, reader.Double("orders.late-ratio", 0));
  if (config.late_ratio < 0 || config.late_ratio > 1) {
    return Status::InvalidOption("option 'orders.late-ratio' expects a number from 0 to 1");
  }
  SLUICE_ASSIGN_OR_RETURN(config.late_by_ms, DurationMillis(reader, "orders.late-by", "2 min"));
  SLUICE_ASSIGN_OR_RETURN(config.customers, reader.Int("orders.customers", 1000, 1, 100'000'000));
  SLUICE_ASSIGN_OR_RETURN(config.statuses,
                          ParseStatuses(reader.String(
                              "orders.statuses", "created:10,paid:20,completed:60,cancelled:10")));
  config.raw_path = reader.String("orders.raw-path", "");
  return config;
}

}  // namespace sluice
