#pragma once
// Message: what travels on a channel between tasks — rows, watermarks, idleness changes and the
// end of a producer's stream, all in one ordered stream per producer.
//
// A Message is a plain value moved from the producing task's thread to the consuming task's
// thread through a Channel; it is never shared.

#include <cstdint>

#include "columnar/batch.h"
#include "runtime/checkpoint_types.h"

namespace sluice {

enum class MessageKind : uint8_t {
  kBatch,      // rows
  kWatermark,  // no row with event time <= watermark follows from this producer (monotonic)
  kIdle,       // the producer has no data for a while: leave it out of the watermark minimum
  kActive,     // the producer has data again (after kIdle)
  kEnd,        // the producer's stream is over; nothing follows
  kBarrier,    // checkpoint barrier: everything before it belongs to the checkpoint
};

struct Message {
  MessageKind kind = MessageKind::kBatch;
  /// Index of the producer in the consuming channel (each channel numbers its producers 0..n-1).
  int producer = 0;
  Batch batch;            // kBatch
  int64_t watermark = 0;  // kWatermark
  Barrier barrier;        // kBarrier

  static Message Data(int producer, Batch batch) {
    Message m;
    m.kind = MessageKind::kBatch;
    m.producer = producer;
    m.batch = std::move(batch);
    return m;
  }
  static Message Watermark(int producer, int64_t watermark) {
    Message m;
    m.kind = MessageKind::kWatermark;
    m.producer = producer;
    m.watermark = watermark;
    return m;
  }
  static Message Status(int producer, bool idle) {
    Message m;
    m.kind = idle ? MessageKind::kIdle : MessageKind::kActive;
    m.producer = producer;
    return m;
  }
  static Message MakeBarrier(int producer, const Barrier& barrier) {
    Message m;
    m.kind = MessageKind::kBarrier;
    m.producer = producer;
    m.barrier = barrier;
    return m;
  }
  static Message End(int producer) {
    Message m;
    m.kind = MessageKind::kEnd;
    m.producer = producer;
    return m;
  }
};

}  // namespace sluice
