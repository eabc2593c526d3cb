#pragma once
// Seeded random inputs for the checkpoint tests: events with VARCHAR, INT, DECIMAL, DOUBLE and
// TIMESTAMP columns (NULLs in every column, -0.0 and NaN among the doubles), out-of-order and
// late timestamps, bursts and pauses (so sessions close), watermarks in between; as append-only
// rows, as a retracting changelog, or as an upsert stream.

#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <vector>

#include "exec/operators/tests/checkpoint_harness.h"
#include "exec/operators/tests/operator_harness.h"

namespace sluice {
namespace testing {

/// name VARCHAR, id INT, amount DECIMAL(10, 2), price DOUBLE, ts TIMESTAMP(3).
inline const std::vector<Field>& EventFields() {
  static const std::vector<Field> fields = {
      F("name", LogicalType::Varchar()), F("id", LogicalType::Int()),
      F("amount", LogicalType::Decimal(10, 2)), F("price", LogicalType::Double()),
      F("ts", LogicalType::Timestamp(3))};
  return fields;
}
constexpr int kName = 0, kId = 1, kAmount = 2, kPrice = 3, kTs = 4;

enum class InputKind {
  kAppend,     // +I rows only
  kChangelog,  // +I, -U/+U pairs, -D of earlier rows, and retractions of unknown rows
  kUpsert,     // +U full rows (some repeated as they are), -D with only the key, a few +I
};

class EventGenerator {
 public:
  explicit EventGenerator(uint64_t seed) : random_(seed) {}

  /// `batches` batches of 1..max_rows rows, most followed by a watermark 10 s behind the
  /// largest event time so far.
  Script Make(InputKind kind, int batches, int max_rows = 24) {
    Script script;
    for (int b = 0; b < batches; ++b) {
      // A pause: sessions close and windows fire; after a short one, sessions that fired are
      // still within an allowed lateness of 30 s.
      if (Chance(12)) clock_ += Chance(50) ? Seconds(45) : Seconds(90);
      const int rows = 1 + static_cast<int>(random_() % max_rows);
      std::vector<std::vector<Value>> values;
      std::vector<RowKind> kinds;
      for (int i = 0; i < rows; ++i) AddRow(kind, &values, &kinds);
      script.push_back({testing::Rows(Schema{EventFields()}, values,
                                      kind == InputKind::kAppend ? std::vector<RowKind>{} : kinds),
                        0});
      if (Chance(60) && max_ts_ - Seconds(10) > watermark_) {
        watermark_ = max_ts_ - Seconds(10);
        script.push_back({std::nullopt, watermark_});
      }
    }
    return script;
  }

 private:
  bool Chance(int percent) { return static_cast<int>(random_() % 100) < percent; }

  std::vector<Value> NewRow() {
    clock_ += 400 * kMicrosPerMilli;
    int64_t ts = clock_ + static_cast<int64_t>(random_() % 25'000) * kMicrosPerMilli - Seconds(20);
    if (Chance(3)) ts -= static_cast<int64_t>(random_() % 180'000) * kMicrosPerMilli;  // late
    if (Chance(5) && watermark_ != INT64_MIN) {
      // Behind the watermark: late without allowed lateness, often a re-fire with 30 s of it.
      ts = watermark_ - static_cast<int64_t>(random_() % 60'000) * kMicrosPerMilli;
    }
    max_ts_ = std::max(max_ts_, ts);
    static const double kPrices[] = {0.0, -0.0, 1.5, 2.25, -3.0, 1e300, 0.1, 7.0};
    const double price = Chance(3) ? std::numeric_limits<double>::quiet_NaN()
                                   : kPrices[random_() % 8] + static_cast<double>(random_() % 3);
    return {Chance(5) ? Value::Null(LogicalType::Varchar())
                      : Value::Varchar("n" + std::to_string(random_() % 12)),
            Chance(5) ? Value::Null(LogicalType::Int())
                      : Value::Int(static_cast<int32_t>(random_() % 12) - 3),
            Chance(5) ? Value::Null(LogicalType::Decimal(10, 2))
                      : Value::Decimal(static_cast<int128_t>(random_() % 500'000) - 50'000, 10, 2),
            Chance(5) ? Value::Null(LogicalType::Double()) : Value::Double(price),
            Chance(2) ? Value::Null(LogicalType::Timestamp(3)) : Value::Timestamp(ts)};
  }

  void AddRow(InputKind kind, std::vector<std::vector<Value>>* values,
              std::vector<RowKind>* kinds) {
    auto emit = [&](RowKind k, std::vector<Value> row) {
      values->push_back(std::move(row));
      kinds->push_back(k);
    };
    switch (kind) {
      case InputKind::kAppend:
        emit(RowKind::kInsert, NewRow());
        return;
      case InputKind::kChangelog: {
        const int dice = static_cast<int>(random_() % 100);
        if (live_.empty() || dice < 55) {
          live_.push_back(NewRow());
          emit(RowKind::kInsert, live_.back());
        } else if (dice < 72) {
          const size_t i = random_() % live_.size();
          emit(RowKind::kUpdateBefore, live_[i]);
          std::vector<Value> updated = NewRow();
          updated[kName] = live_[i][kName];  // mostly the same key, a new value
          if (Chance(70)) updated[kId] = live_[i][kId];
          live_[i] = updated;
          emit(RowKind::kUpdateAfter, updated);
        } else if (dice < 92) {
          const size_t i = random_() % live_.size();
          emit(RowKind::kDelete, live_[i]);
          live_.erase(live_.begin() + static_cast<ptrdiff_t>(i));
        } else {
          emit(RowKind::kDelete, NewRow());  // never added: ignored, or a malformed retraction
        }
        return;
      }
      case InputKind::kUpsert: {
        std::vector<Value> row = NewRow();
        const int64_t key = static_cast<int64_t>(random_() % 20);
        row[kId] = Chance(3) ? Value::Null(LogicalType::Int()) : Value::Int(static_cast<int>(key));
        const std::string id = row[kId].ToString();
        const int dice = static_cast<int>(random_() % 100);
        if (dice < 20) {
          std::vector<Value> tombstone = {Value::Null(LogicalType::Varchar()), row[kId],
                                          Value::Null(LogicalType::Decimal(10, 2)),
                                          Value::Null(LogicalType::Double()),
                                          Value::Null(LogicalType::Timestamp(3))};
          last_.erase(id);
          emit(RowKind::kDelete, tombstone);
        } else if (dice < 35 && last_.count(id)) {
          emit(RowKind::kUpdateAfter, last_[id]);  // identical: no output
        } else {
          last_[id] = row;
          emit(dice < 42 ? RowKind::kInsert : RowKind::kUpdateAfter, row);
        }
        return;
      }
    }
  }

  std::mt19937_64 random_;
  int64_t clock_ = Ts("2024-03-01 10:00:00");
  int64_t max_ts_ = clock_;
  int64_t watermark_ = INT64_MIN;
  std::vector<std::vector<Value>> live_;
  std::map<std::string, std::vector<Value>> last_;
};

}  // namespace testing
}  // namespace sluice
