#pragma once
// PrintSink: rows as Flink's print connector shows them, one line per row:
//   [<identifier>[:<instance+1>]> ]+I[1, abc, 2024-01-01T00:01]
// The instance number appears only when the sink runs with parallelism > 1, the "> " only when
// there is an identifier or an instance number (Flink's PrintSinkOutputWriter). Writers format a
// whole batch, then write it under one process-wide lock, so lines from parallel writers never
// interleave mid-line.

#include <cstdio>
#include <memory>
#include <string>

#include "runtime/sink.h"

namespace sluice {

class PrintSink final : public Sink {
 public:
  PrintSink(std::string identifier, std::FILE* out)
      : identifier_(std::move(identifier)), out_(out) {}

  Result<std::unique_ptr<SinkWriter>> CreateWriter(int instance, int parallelism) override;

 private:
  std::string identifier_;
  std::FILE* out_;
};

/// The line prefix a print writer uses ("" when there is none).
std::string PrintPrefix(const std::string& identifier, int instance, int parallelism);

}  // namespace sluice
