#pragma once
// Status and Result<T>: how fallible sluice code reports errors. sluice code does not throw;
// exceptions from third-party code are converted at the adapter.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace sluice {

/// Who must act on an error: the user (fix SQL/options, exit 2), the outside world (retry), or us.
enum class ErrorDomain : uint8_t { kUser, kExternal, kInternal };

enum class ErrorCode : uint16_t {
#define SLUICE_ERROR_CODE(name, number, domain) name = number,
#include "common/error_codes.def"
#undef SLUICE_ERROR_CODE
};

std::string_view ErrorCodeName(ErrorCode code);
ErrorDomain DefaultDomain(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(ErrorCode code, std::string message, bool retryable = false);

  static Status OK() { return Status(); }
  static Status SyntaxError(std::string msg) { return {ErrorCode::kSyntaxError, std::move(msg)}; }
  static Status BindError(std::string msg) { return {ErrorCode::kBindError, std::move(msg)}; }
  static Status TypeError(std::string msg) { return {ErrorCode::kTypeError, std::move(msg)}; }
  static Status InvalidOption(std::string msg) {
    return {ErrorCode::kInvalidOption, std::move(msg)};
  }
  static Status Unsupported(std::string msg) { return {ErrorCode::kUnsupported, std::move(msg)}; }
  static Status InvalidArgument(std::string msg) {
    return {ErrorCode::kInvalidArgument, std::move(msg)};
  }
  static Status NotFound(std::string msg) { return {ErrorCode::kNotFound, std::move(msg)}; }
  static Status IoError(std::string msg) { return {ErrorCode::kIoError, std::move(msg), true}; }
  static Status DecodeError(std::string msg) { return {ErrorCode::kDecodeError, std::move(msg)}; }
  static Status SinkError(std::string msg) { return {ErrorCode::kSinkError, std::move(msg), true}; }
  static Status Cancelled(std::string msg) { return {ErrorCode::kCancelled, std::move(msg)}; }
  static Status RuntimeError(std::string msg) { return {ErrorCode::kRuntimeError, std::move(msg)}; }
  static Status Internal(std::string msg) { return {ErrorCode::kInternal, std::move(msg)}; }

  bool ok() const { return state_ == nullptr; }
  ErrorCode code() const { return state_ ? state_->code : ErrorCode::kOk; }
  ErrorDomain domain() const {
    return state_ ? DefaultDomain(state_->code) : ErrorDomain::kInternal;
  }
  bool retryable() const { return state_ && state_->retryable; }
  const std::string& message() const;
  /// "SyntaxError: message" — for logs and the CLI.
  std::string ToString() const;
  /// Returns a copy whose message is `prefix + ": " + message()`.
  Status WithContext(std::string_view prefix) const;
  /// Explicitly drop a status (greppable).
  void IgnoreError() const {}

 private:
  struct State {
    ErrorCode code;
    std::string message;
    bool retryable;
  };
  std::shared_ptr<const State> state_;
};

/// A value or an error Status (never an OK status).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : storage_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : storage_(std::move(status)) {}  // NOLINT
  bool ok() const { return std::holds_alternative<T>(storage_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(storage_);
  }
  T& value() & { return std::get<T>(storage_); }
  const T& value() const& { return std::get<T>(storage_); }
  T&& value() && { return std::get<T>(std::move(storage_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T ValueOr(T fallback) const& { return ok() ? value() : std::move(fallback); }

 private:
  std::variant<T, Status> storage_;
};

}  // namespace sluice

#define SLUICE_CONCAT_INNER(a, b) a##b
#define SLUICE_CONCAT(a, b) SLUICE_CONCAT_INNER(a, b)

#define SLUICE_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::sluice::Status _sluice_status = (expr);        \
    if (!_sluice_status.ok()) return _sluice_status; \
  } while (0)

#define SLUICE_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()

#define SLUICE_ASSIGN_OR_RETURN(lhs, expr) \
  SLUICE_ASSIGN_OR_RETURN_IMPL(SLUICE_CONCAT(_sluice_result_, __LINE__), lhs, expr)
