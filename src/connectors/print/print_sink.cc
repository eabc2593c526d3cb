#include "connectors/print/print_sink.h"

#include <mutex>

namespace sluice {

namespace {

std::mutex& OutputMutex() {
  static std::mutex mutex;
  return mutex;
}

class PrintSinkWriter final : public SinkWriter {
 public:
  PrintSinkWriter(std::string prefix, std::FILE* out) : prefix_(std::move(prefix)), out_(out) {}

  Status Write(const Batch& batch) override {
    text_.clear();
    for (size_t row = 0; row < batch.num_rows(); ++row) {
      text_ += prefix_;
      text_ += batch.RowToString(row);
      text_ += '\n';
    }
    std::lock_guard<std::mutex> lock(OutputMutex());
    // Flushed right away: a reader of a piped stdout sees rows as they come, as with Flink.
    if (std::fwrite(text_.data(), 1, text_.size(), out_) != text_.size() ||
        std::fflush(out_) != 0) {
      return Status::IoError("print sink: cannot write the output");
    }
    return Status::OK();
  }

  Status Flush() override {
    std::lock_guard<std::mutex> lock(OutputMutex());
    std::fflush(out_);
    return Status::OK();
  }

 private:
  std::string prefix_;
  std::FILE* out_;
  std::string text_;
};

}  // namespace

std::string PrintPrefix(const std::string& identifier, int instance, int parallelism) {
  std::string prefix = identifier;
  if (parallelism > 1) {
    if (!prefix.empty()) prefix += ':';
    prefix += std::to_string(instance + 1);
  }
  if (!prefix.empty()) prefix += "> ";
  return prefix;
}

Result<std::unique_ptr<SinkWriter>> PrintSink::CreateWriter(int instance, int parallelism) {
  return std::unique_ptr<SinkWriter>(
      std::make_unique<PrintSinkWriter>(PrintPrefix(identifier_, instance, parallelism), out_));
}

}  // namespace sluice
