#pragma once
// Checkpoint test harness: runs an operator over a script of batches and watermarks, snapshots
// it at any step, restores a fresh instance from the sections and goes on, and records everything
// the operator emits (changelog rows and late rows, in order). The checks every stateful operator
// must pass:
//   - every cut:    output(prefix, snapshot, restore, suffix) == output(uninterrupted), exactly
//   - rescale:      N instances (input routed by the exchange's hash) snapshot, M instances
//                   restore from all N parts; the union of outputs equals the uninterrupted one
//                   as a multiset
//   - isolation:    a snapshot is unaffected by what the live operator does afterwards
//   - corruption:   truncated, extended or damaged sections give a DecodeError, never a crash

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "columnar/hash.h"
#include "exec/operators/operator_factory.h"
#include "exec/plan/plan_node.h"
#include "runtime/exchange_output.h"
#include "runtime/operator.h"
#include "runtime/session_config.h"

namespace sluice {
namespace testing {

/// A batch or a watermark.
struct Step {
  std::optional<Batch> batch;
  int64_t watermark = 0;
};
using Script = std::vector<Step>;
using Lines = std::vector<std::string>;

/// Output rows ("+I[...]") and late rows ("late +I[...]") in the order the operator produced them.
class Recorder : public Collector, public LateRowHandler {
 public:
  Status Collect(Batch batch) override {
    for (size_t i = 0; i < batch.num_rows(); ++i) lines.push_back(batch.RowToString(i));
    return Status::OK();
  }
  Status OnLateRows(const std::string&, const Schema&, const Batch& rows, int64_t) override {
    for (size_t i = 0; i < rows.num_rows(); ++i) lines.push_back("late " + rows.RowToString(i));
    return Status::OK();
  }
  Lines lines;
};

/// One operator instance with its context.
class Instance {
 public:
  /// `settings`: session options set before Open().
  explicit Instance(const PlanNode& node, int instance = 0, int parallelism = 1,
                    const std::vector<std::pair<std::string, std::string>>& settings = {}) {
    for (const auto& [key, value] : settings) session_.Set(key, value);
    context_.instance = instance;
    context_.parallelism = parallelism;
    context_.session = &session_;
    context_.metrics = &metrics_;
    context_.late_rows = &recorder_;
    auto created = CreateOperator(node);
    if (!created.ok()) {
      status_ = created.status();
      return;
    }
    operator_ = std::move(created).value();
    status_ = operator_->Open(context_);
  }

  /// Construction and every step so far succeeded.
  const Status& status() const { return status_; }
  Operator& op() { return *operator_; }
  const Lines& lines() const { return recorder_.lines; }
  SessionConfig& session() { return session_; }

  /// Feeds steps [begin, end) of `script`; stops at the first error.
  const Status& Run(const Script& script, size_t begin, size_t end) {
    for (size_t i = begin; i < end && status_.ok(); ++i) {
      const Step& step = script[i];
      status_ = step.batch ? operator_->Process(*step.batch, recorder_)
                           : operator_->OnWatermark(step.watermark, recorder_);
    }
    return status_;
  }
  const Status& Finish() {
    if (status_.ok()) status_ = operator_->Finish(recorder_);
    return status_;
  }
  StateSections Snapshot(CheckpointId id = 1) {
    StateSections sections;
    if (status_.ok()) status_ = operator_->SnapshotState(id, &sections);
    return sections;
  }
  Status Restore(const std::vector<const StateSectionsView*>& parts, int old_parallelism) {
    OperatorRestore restore;
    restore.parts = parts;
    restore.old_parallelism = old_parallelism;
    return operator_->RestoreState(restore);
  }

 private:
  SessionConfig session_;
  OperatorMetrics metrics_;
  OperatorContext context_;
  Recorder recorder_;
  std::unique_ptr<Operator> operator_;
  Status status_;
};

/// What one uninterrupted instance emits for the whole script, then Finish().
inline Lines RunUninterrupted(const PlanNode& node, const Script& script) {
  Instance instance(node);
  EXPECT_TRUE(instance.Run(script, 0, script.size()).ok()) << instance.status().ToString();
  EXPECT_TRUE(instance.Finish().ok()) << instance.status().ToString();
  return instance.lines();
}

/// Lines starting with `prefix` ("late ", "-U[", "-D[").
inline size_t CountLines(const Lines& lines, const std::string& prefix) {
  return std::count_if(lines.begin(), lines.end(),
                       [&](const std::string& line) { return line.rfind(prefix, 0) == 0; });
}

/// Runs steps [0, cut), snapshots, destroys the instance, restores a new one and runs the rest;
/// returns both outputs concatenated (nullopt after an error, reported).
inline std::optional<Lines> RunWithRestore(const PlanNode& node, const Script& script, size_t cut) {
  Lines lines;
  StateSections sections;
  {
    Instance before(node);
    before.Run(script, 0, cut);
    sections = before.Snapshot(static_cast<CheckpointId>(cut + 1));
    EXPECT_TRUE(before.status().ok()) << before.status().ToString();
    if (!before.status().ok()) return std::nullopt;
    lines = before.lines();
  }
  InMemorySections view(std::move(sections));
  Instance after(node);
  const Status restored = after.Restore({&view}, 1);
  EXPECT_TRUE(restored.ok()) << restored.ToString();
  if (!restored.ok()) return std::nullopt;
  after.Run(script, cut, script.size());
  after.Finish();
  EXPECT_TRUE(after.status().ok()) << after.status().ToString();
  lines.insert(lines.end(), after.lines().begin(), after.lines().end());
  return lines;
}

/// At every cut point the restored run emits exactly what the uninterrupted run emits.
inline void ExpectEveryCutRestoresExactly(const PlanNode& node, const Script& script) {
  const Lines expected = RunUninterrupted(node, script);
  ASSERT_FALSE(expected.empty());
  for (size_t cut = 0; cut <= script.size(); ++cut) {
    std::optional<Lines> actual = RunWithRestore(node, script, cut);
    ASSERT_TRUE(actual.has_value()) << "cut " << cut;
    ASSERT_EQ(*actual, expected) << "cut " << cut << " of " << script.size();
  }
}

/// The script as instance `target` of `parallelism` sees it behind a hash exchange on `keys`
/// (ExchangeOutput::Hash: HashRows over the key columns, HashTarget); watermarks are broadcast.
inline Script Route(const Script& script, const std::vector<int>& keys, int target,
                    int parallelism) {
  Script routed;
  std::vector<uint64_t> hashes;
  for (const Step& step : script) {
    if (!step.batch) {
      routed.push_back(step);
      continue;
    }
    const Batch& batch = *step.batch;
    hashes.resize(batch.num_rows());
    HashRows(batch, keys, hashes.data());
    std::vector<uint32_t> rows;
    for (uint32_t i = 0; i < batch.num_rows(); ++i) {
      if (HashTarget(hashes[i], parallelism) == static_cast<size_t>(target)) rows.push_back(i);
    }
    if (rows.empty()) continue;  // the exchange sends no empty batches
    routed.push_back({batch.Gather(rows.data(), rows.size()), 0});
  }
  return routed;
}

/// `from` instances run the routed prefix (script steps before `cut`) and snapshot; `to`
/// instances restore from all of their parts and run the routed rest. Every output line of all
/// instances together equals the uninterrupted single instance's, as a multiset.
inline void ExpectRescaleKeepsEveryKey(const PlanNode& node, const std::vector<int>& keys,
                                       const Script& script, size_t cut, int from, int to) {
  SCOPED_TRACE("rescale " + std::to_string(from) + " -> " + std::to_string(to) + " at step " +
               std::to_string(cut));
  Lines expected = RunUninterrupted(node, script);
  const Script prefix(script.begin(), script.begin() + cut);
  const Script suffix(script.begin() + cut, script.end());
  Lines actual;
  std::vector<InMemorySections> views;
  views.reserve(from);
  for (int i = 0; i < from; ++i) {
    Instance old(node, i, from);
    const Script routed = Route(prefix, keys, i, from);
    old.Run(routed, 0, routed.size());
    StateSections sections = old.Snapshot();
    ASSERT_TRUE(old.status().ok()) << old.status().ToString();
    actual.insert(actual.end(), old.lines().begin(), old.lines().end());
    views.emplace_back(std::move(sections));
  }
  std::vector<const StateSectionsView*> parts;
  for (const InMemorySections& view : views) parts.push_back(&view);
  size_t restored_lines = 0;
  for (int j = 0; j < to; ++j) {
    Instance next(node, j, to);
    const Status restored = next.Restore(parts, from);
    ASSERT_TRUE(restored.ok()) << restored.ToString();
    const Script routed = Route(suffix, keys, j, to);
    next.Run(routed, 0, routed.size());
    next.Finish();
    ASSERT_TRUE(next.status().ok()) << next.status().ToString();
    actual.insert(actual.end(), next.lines().begin(), next.lines().end());
    restored_lines += next.lines().size();
  }
  std::sort(expected.begin(), expected.end());
  std::sort(actual.begin(), actual.end());
  ASSERT_EQ(actual, expected);
  // The cut leaves work for the restored instances (else the check proves little).
  EXPECT_GT(restored_lines, 0u);
}

/// Sections of an instance that ran steps [0, cut).
inline StateSections SnapshotAt(const PlanNode& node, const Script& script, size_t cut) {
  Instance instance(node);
  instance.Run(script, 0, cut);
  StateSections sections = instance.Snapshot();
  EXPECT_TRUE(instance.status().ok()) << instance.status().ToString();
  EXPECT_EQ(sections.size(), 1u);
  return sections;
}

/// Restores a fresh instance from `sections`; on success also runs the rest of the script
/// (a restore that accepts damaged state must still not crash later).
inline Status RestoreAndContinue(const PlanNode& node, StateSections sections, const Script& script,
                                 size_t cut) {
  InMemorySections view(std::move(sections));
  Instance instance(node);
  Status restored = instance.Restore({&view}, 1);
  if (!restored.ok()) return restored;
  instance.Run(script, cut, script.size());
  instance.Finish();
  return Status::OK();
}

/// A snapshot is a copy: what the live operator does afterwards does not change it, and
/// restoring it later still continues exactly from the cut.
inline void ExpectSnapshotIsACopy(const PlanNode& node, const Script& script, size_t cut) {
  const Lines expected = RunUninterrupted(node, script);
  Instance live(node);
  live.Run(script, 0, cut);
  const Lines prefix = live.lines();
  StateSections sections = live.Snapshot();
  ASSERT_TRUE(live.status().ok());
  const StateSections copy = sections;
  live.Run(script, cut, script.size());
  live.Finish();
  ASSERT_TRUE(live.status().ok());
  ASSERT_EQ(live.lines(), expected);  // the snapshot did not disturb the live operator
  ASSERT_EQ(sections.size(), copy.size());
  for (size_t i = 0; i < sections.size(); ++i) {
    EXPECT_EQ(sections[i].name, copy[i].name);
    EXPECT_TRUE(sections[i].data == copy[i].data) << "section " << sections[i].name << " changed";
  }
  InMemorySections view(std::move(sections));
  Instance restored(node);
  ASSERT_TRUE(restored.Restore({&view}, 1).ok());
  restored.Run(script, cut, script.size());
  restored.Finish();
  Lines lines = prefix;
  lines.insert(lines.end(), restored.lines().begin(), restored.lines().end());
  EXPECT_EQ(lines, expected);
}

/// Damaged sections: every truncation and an extra byte are DecodeErrors; a changed format
/// version names the version; random byte flips give a DecodeError or a state that keeps
/// running (checked by the sanitizer build), never a crash.
inline void ExpectDamageIsDetected(const PlanNode& node, const Script& script, size_t cut) {
  const StateSections good = SnapshotAt(node, script, cut);
  ASSERT_EQ(good.size(), 1u);
  const std::string& data = good[0].data;
  ASSERT_GT(data.size(), 64u);
  ASSERT_TRUE(RestoreAndContinue(node, good, script, cut).ok());

  // Truncation anywhere: all prefixes for small states, an even spread plus both ends for big
  // ones.
  const size_t step = std::max<size_t>(1, data.size() / 3000);
  for (size_t length = 0; length < data.size(); ++length) {
    if (length % step != 0 && length > 256 && length + 256 < data.size()) continue;
    StateSections truncated = good;
    truncated[0].data.resize(length);
    const Status status = RestoreAndContinue(node, truncated, script, cut);
    ASSERT_EQ(status.code(), ErrorCode::kDecodeError)
        << "truncated to " << length << " of " << data.size() << ": " << status.ToString();
  }
  {
    StateSections extended = good;
    extended[0].data.push_back('\0');
    const Status status = RestoreAndContinue(node, extended, script, cut);
    EXPECT_EQ(status.code(), ErrorCode::kDecodeError) << status.ToString();
  }
  {
    // The header: u64 length + kind, then the u32 format version.
    uint64_t kind_length = 0;
    std::memcpy(&kind_length, data.data(), 8);
    ASSERT_LT(kind_length, 64u);
    StateSections newer = good;
    newer[0].data[8 + kind_length] += 1;
    const Status status = RestoreAndContinue(node, newer, script, cut);
    EXPECT_EQ(status.code(), ErrorCode::kDecodeError);
    EXPECT_NE(status.message().find("version 2"), std::string::npos) << status.ToString();
  }
  {
    StateSections renamed = good;
    renamed[0].name = "something_else";
    const Status status = RestoreAndContinue(node, renamed, script, cut);
    EXPECT_EQ(status.code(), ErrorCode::kDecodeError) << status.ToString();
  }
  std::mt19937_64 random(7);
  size_t rejected = 0;
  for (int trial = 0; trial < 300; ++trial) {
    StateSections damaged = good;
    const int flips = 1 + static_cast<int>(random() % 3);
    for (int f = 0; f < flips; ++f) {
      damaged[0].data[random() % data.size()] ^= static_cast<char>(1 + random() % 255);
    }
    const Status status = RestoreAndContinue(node, damaged, script, cut);
    ASSERT_TRUE(status.ok() || status.code() == ErrorCode::kDecodeError) << status.ToString();
    rejected += !status.ok();
  }
  EXPECT_GT(rejected, 0u);
}

/// The operator's snapshot has the size of a fresh instance's: all window state was freed.
inline void ExpectSnapshotSizeOfFreshInstance(const PlanNode& node, Instance& instance) {
  Instance fresh(node);
  // Same watermark, so the header and watermark fields have the same size anyway.
  const StateSections empty = fresh.Snapshot();
  const StateSections used = instance.Snapshot();
  ASSERT_EQ(empty.size(), 1u);
  ASSERT_EQ(used.size(), 1u);
  EXPECT_EQ(used[0].data.size(), empty[0].data.size());
}

}  // namespace testing
}  // namespace sluice
