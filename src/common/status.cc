#include "common/status.h"

namespace sluice {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
#define SLUICE_ERROR_CODE(name, number, domain) \
  case ErrorCode::name:                         \
    return std::string_view(#name).substr(1);
#include "common/error_codes.def"
#undef SLUICE_ERROR_CODE
  }
  return "Unknown";
}

ErrorDomain DefaultDomain(ErrorCode code) {
  switch (code) {
#define SLUICE_ERROR_CODE(name, number, domain) \
  case ErrorCode::name:                         \
    return ErrorDomain::domain;
#include "common/error_codes.def"
#undef SLUICE_ERROR_CODE
  }
  return ErrorDomain::kInternal;
}

Status::Status(ErrorCode code, std::string message, bool retryable)
    : state_(code == ErrorCode::kOk
                 ? nullptr
                 : std::make_shared<const State>(State{code, std::move(message), retryable})) {}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return state_ ? state_->message : kEmpty;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(ErrorCodeName(code())) + ": " + state_->message;
}

Status Status::WithContext(std::string_view prefix) const {
  if (ok()) return *this;
  return Status(code(), std::string(prefix) + ": " + state_->message, retryable());
}

}  // namespace sluice
