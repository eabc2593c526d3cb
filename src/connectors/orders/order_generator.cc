#include "connectors/orders/order_generator.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "connectors/datagen/fast_random.h"
#include "types/time_format.h"

namespace sluice {

namespace {

constexpr std::string_view kKnownColumns =
    "order_id, customer_id, amount, status, timestamp, event_time, ts";

bool NameIs(const std::string& name, std::string_view expected) {
  if (name.size() != expected.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(name[i])) != expected[i]) return false;
  }
  return true;
}

int128_t PowerOfTen(int n) {
  int128_t v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

}  // namespace

Result<OrderGenerator> OrderGenerator::Make(const Schema& schema, const OrdersConfig& config) {
  OrderGenerator g(schema, config);
  for (const Field& field : schema.fields) {
    const TypeId id = field.type.id;
    auto wrong_type = [&](std::string_view allowed) {
      return Status::InvalidOption("orders connector: column '" + field.name + "' must be " +
                                   std::string(allowed) + ", not " + field.type.ToString());
    };
    if (NameIs(field.name, "order_id")) {
      if (id != TypeId::kVarchar && id != TypeId::kBigint) return wrong_type("STRING or BIGINT");
      g.roles_.push_back(Role::kOrderId);
    } else if (NameIs(field.name, "customer_id")) {
      if (id != TypeId::kVarchar && id != TypeId::kBigint && id != TypeId::kInt) {
        return wrong_type("STRING, INT or BIGINT");
      }
      g.roles_.push_back(Role::kCustomerId);
    } else if (NameIs(field.name, "amount")) {
      if (id == TypeId::kDecimal &&
          (field.type.scale < 2 || field.type.precision - field.type.scale < 3)) {
        return wrong_type("DOUBLE or DECIMAL(p, s) with s >= 2 and p - s >= 3");
      }
      if (id != TypeId::kDouble && id != TypeId::kDecimal) return wrong_type("DOUBLE or DECIMAL");
      g.roles_.push_back(Role::kAmount);
    } else if (NameIs(field.name, "status")) {
      if (id != TypeId::kVarchar) return wrong_type("STRING");
      g.roles_.push_back(Role::kStatus);
    } else if (NameIs(field.name, "timestamp") || NameIs(field.name, "event_time") ||
               NameIs(field.name, "ts")) {
      if (id != TypeId::kBigint && id != TypeId::kTimestamp && id != TypeId::kTimestampLtz) {
        return wrong_type("BIGINT (epoch milliseconds), TIMESTAMP or TIMESTAMP_LTZ");
      }
      g.roles_.push_back(Role::kTime);
    } else {
      return Status::InvalidOption("orders connector: unknown column '" + field.name +
                                   "'; it generates " + std::string(kKnownColumns));
    }
  }
  double total = 0;
  for (const auto& s : config.statuses) {
    total += s.weight;
    g.cumulative_weights_.push_back(total);
  }
  g.names_ = std::make_shared<std::vector<std::string>>();
  const size_t width = std::max<size_t>(4, std::to_string(config.customers - 1).size());
  for (int64_t c = 0; c < config.customers; ++c) {
    std::string digits = std::to_string(c);
    g.names_->push_back("cust-" + std::string(width - digits.size(), '0') + digits);
  }
  g.first_status_name_ = g.names_->size();
  for (const auto& s : config.statuses) g.names_->push_back(s.name);
  return g;
}

OrderEvent OrderGenerator::Generate(uint64_t index) const {
  FastRandom random(SeedFor(config_.seed, index));
  OrderEvent e;
  e.index = index;
  e.customer = static_cast<int64_t>(random.Below(static_cast<uint64_t>(config_.customers)));
  e.amount_cents = 100 + static_cast<int64_t>(random.Below(49'901));  // 1.00 .. 500.00
  double pick = random.NextDouble() * cumulative_weights_.back();
  e.status = 0;
  while (e.status + 1 < static_cast<int>(cumulative_weights_.size()) &&
         pick >= cumulative_weights_[e.status]) {
    ++e.status;
  }
  const long double step_ms = 1000.0L / config_.events_per_second;
  int64_t ts = config_.start_time_ms + static_cast<int64_t>(std::floor(index * step_ms));
  if (config_.max_out_of_orderness_ms > 0) {
    ts -= static_cast<int64_t>(random.Below(config_.max_out_of_orderness_ms + 1));
  }
  e.late = random.NextDouble() < config_.late_ratio;
  if (e.late) ts -= config_.late_by_ms;
  e.timestamp_ms = ts;
  return e;
}

Batch OrderGenerator::Fill(uint64_t first, uint64_t stride, size_t count) {
  events_.resize(count);
  for (size_t i = 0; i < count; ++i) events_[i] = Generate(first + i * stride);
  Batch batch = Batch::Empty(schema_, count);
  const std::vector<std::string>& names = *names_;
  for (size_t c = 0; c < roles_.size(); ++c) {
    Column* column = batch.mutable_column(c).get();
    column->Resize(count);
    const LogicalType& type = schema_[c].type;
    switch (roles_[c]) {
      case Role::kOrderId:
        if (type.id == TypeId::kBigint) {
          auto* out = column->data<int64_t>();
          for (size_t i = 0; i < count; ++i) out[i] = static_cast<int64_t>(events_[i].index);
        } else {
          auto* out = column->data<std::string_view>();
          char buf[32];
          for (size_t i = 0; i < count; ++i) {
            int n = std::snprintf(buf, sizeof(buf), "ord-%08llu",
                                  static_cast<unsigned long long>(events_[i].index));
            out[i] = column->heap().Add(std::string_view(buf, n));
          }
        }
        break;
      case Role::kCustomerId:
        if (type.id == TypeId::kVarchar) {
          auto* out = column->data<std::string_view>();
          for (size_t i = 0; i < count; ++i) out[i] = names[events_[i].customer];
          column->KeepAlive(names_);
        } else if (type.id == TypeId::kBigint) {
          auto* out = column->data<int64_t>();
          for (size_t i = 0; i < count; ++i) out[i] = events_[i].customer;
        } else {
          auto* out = column->data<int32_t>();
          for (size_t i = 0; i < count; ++i) out[i] = static_cast<int32_t>(events_[i].customer);
        }
        break;
      case Role::kAmount:
        if (type.id == TypeId::kDouble) {
          auto* out = column->data<double>();
          for (size_t i = 0; i < count; ++i) out[i] = events_[i].amount_cents / 100.0;
        } else {
          auto* out = column->data<int128_t>();
          const int128_t scale = PowerOfTen(type.scale - 2);
          for (size_t i = 0; i < count; ++i) out[i] = events_[i].amount_cents * scale;
        }
        break;
      case Role::kStatus: {
        auto* out = column->data<std::string_view>();
        for (size_t i = 0; i < count; ++i) out[i] = names[first_status_name_ + events_[i].status];
        column->KeepAlive(names_);
        break;
      }
      case Role::kTime:
        if (type.id == TypeId::kBigint) {
          auto* out = column->data<int64_t>();
          for (size_t i = 0; i < count; ++i) out[i] = events_[i].timestamp_ms;
        } else {
          auto* out = column->data<int64_t>();
          for (size_t i = 0; i < count; ++i) out[i] = events_[i].timestamp_ms * kMicrosPerMilli;
        }
        break;
    }
  }
  batch.set_num_rows(count);
  return batch;
}

}  // namespace sluice
