#pragma once
// Source and SplitReader: how connectors feed the runtime.
//
// A Source (one per scanned table) lists its splits: units of input that are read in order and
// get their own watermark (a file, a Kafka partition, a generator's share). The runtime spreads
// the splits over the source's parallel tasks and creates one SplitReader per split; a reader is
// only ever called from the task thread that owns it.
//
// Poll() returns at most max_rows rows with the table's *physical* schema, in order. It must not
// block for long (at most ~100 ms) so the task can notice cancellation and idleness; an empty
// batch means "nothing right now". It sets *end_of_split when a bounded split is exhausted.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "common/status.h"
#include "runtime/checkpoint_types.h"

namespace sluice {

struct SourceSplit {
  std::string id;  // stable: "file:/data/a.json", "datagen:0/4"
  int index = 0;   // position in the list ListSplits returned
};

class SplitReader {
 public:
  virtual ~SplitReader() = default;
  virtual Status Open() { return Status::OK(); }
  virtual Result<Batch> Poll(size_t max_rows, bool* end_of_split) = 0;
  /// An explicit watermark the reader wants to emit (the SQL test harness scripts watermarks
  /// this way). Called after every Poll(), repeatedly until it returns false; a watermark taken
  /// there applies after the rows that Poll() returned. It advances the split's watermark to
  /// max(current, *watermark). Default: none.
  virtual bool TakeWatermark(int64_t* watermark) { return false; }
  /// Readers over several independently ordered streams (the partitions a Kafka consumer is
  /// assigned) say which stream the batch the last Poll() returned came from; every batch holds
  /// rows of one stream only. The task keeps one watermark and idle clock per stream, so one
  /// partition running ahead makes no other partition's rows late. Default: a single stream 0.
  virtual int64_t LastPollStream() const { return 0; }
  /// A stream this reader has just been given (a partition assigned), before any of its rows:
  /// from then on it holds the split's watermark back until its own rows move it. Called after
  /// every Poll(), before its rows are handled, repeatedly until it returns false. Streams that
  /// are never announced are created when their first rows arrive.
  virtual bool TakeAddedStream(int64_t* stream) { return false; }
  /// A stream this reader no longer reads (a partition revoked in a rebalance, or one that
  /// reached its bounded end): it stops holding the watermark back. Called after every Poll(),
  /// repeatedly until it returns false. A stream id may come back later (assigned again).
  virtual bool TakeEndedStream(int64_t* stream) { return false; }
  /// Where the reader is (file offset, generator sequence), for errors.
  virtual std::string Position() const { return ""; }

  // Checkpoints (docs/design/checkpoints.md §1.2), called from the task thread between polls.
  /// Appends the position of every stream this reader reads, just after the last row Poll()
  /// returned (never a prefetch position), so that a restore resumes exactly there. A stream
  /// that reached its bounded end says so, and stays ended after a restore.
  virtual Status SnapshotPositions(std::vector<StreamPosition>* out) const {
    return Status::Unsupported("this source cannot be checkpointed yet");
  }
  /// Before Open(): `positions` holds every stream position of the table the previous run saved
  /// (all its readers', whatever its parallelism). The reader takes those of the streams it
  /// reads and resumes after them; streams without a position start as configured.
  virtual Status RestorePositions(const std::vector<StreamPosition>& positions) {
    return Status::Unsupported("this source cannot be restored from a checkpoint yet");
  }
  /// The stable name of stream `stream` (a LastPollStream() value) — the same in every run and
  /// at any parallelism ("orders/3") — under which its watermark is saved. Empty: the split's
  /// id names the reader's single stream.
  virtual std::string StreamName(int64_t stream) const { return ""; }
  virtual Status Close() { return Status::OK(); }
};

class Source {
 public:
  virtual ~Source() = default;
  /// Splits to read; `parallelism` is a hint for sources that can divide work freely (datagen).
  virtual Result<std::vector<SourceSplit>> ListSplits(int parallelism) = 0;
  virtual Result<std::unique_ptr<SplitReader>> CreateReader(const SourceSplit& split) = 0;
  /// True when every split ends by itself (files, datagen with number-of-rows).
  virtual bool IsBounded() const = 0;

  // Checkpoints.
  /// Called once, before ListSplits()/CreateReader(), when the job takes checkpoints: the source
  /// must then be able to snapshot and restore positions (the Kafka source assigns partitions
  /// itself and commits offsets only for completed checkpoints). Unsupported by default.
  virtual Status EnableCheckpointing() {
    return Status::Unsupported("this connector cannot take part in checkpoints yet");
  }
  /// Checkpoint `id` is complete and `positions` are the table's saved positions in it: e.g.
  /// commit them as the consumer group's offsets so lag tools stay truthful. Called from the
  /// coordinator's thread (not a task thread); errors are logged, never fatal.
  virtual Status NotifyCheckpointComplete(CheckpointId id,
                                          const std::vector<StreamPosition>& positions) {
    return Status::OK();
  }
};

}  // namespace sluice
