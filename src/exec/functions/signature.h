#pragma once
// Table helpers for functions with one fixed signature, so a table entry reads
//   {"lpad", 3, 3, BindSignature<"SIS", TypeId::kVarchar>, FixedKernel<Lpad>}
// Parameter letters: S VARCHAR, I integer (passed as BIGINT), D numeric (passed as DOUBLE),
// B BOOLEAN. The last letter repeats for variadic functions. NULL literals take the parameter's
// type; anything else is a TypeError naming the function and the argument types.

#include <cstddef>

#include "exec/functions/scalar_function.h"
#include "exec/functions/type_coercion.h"

namespace sluice {

template <size_t N>
struct ParamLetters {
  constexpr ParamLetters(const char (&s)[N]) {  // NOLINT: implicit for template arguments
    for (size_t i = 0; i < N; ++i) letters[i] = s[i];
  }
  char letters[N];
  constexpr size_t size() const { return N - 1; }
};

/// The parameter type of `letter` for an argument of type `arg`, or kNull when it does not fit.
inline LogicalType ParamType(char letter, const LogicalType& arg) {
  bool is_null = arg.id == TypeId::kNull;
  switch (letter) {
    case 'S':
      return is_null || arg.id == TypeId::kVarchar ? LogicalType::Varchar() : LogicalType::Null();
    case 'I':
      return is_null || arg.IsIntegral() ? LogicalType::Bigint() : LogicalType::Null();
    case 'D':
      return is_null || arg.IsNumeric() ? LogicalType::Double() : LogicalType::Null();
    case 'B':
      return is_null || arg.id == TypeId::kBoolean ? LogicalType::Boolean() : LogicalType::Null();
    default:
      return LogicalType::Null();
  }
}

inline LogicalType TypeOfId(TypeId id) {
  LogicalType t;
  t.id = id;
  if (t.IsTimestamp()) t.precision = 3;
  return t;
}

template <ParamLetters kParams, TypeId kResult>
Result<ExprPtr> BindSignature(const std::string& name, std::vector<ExprPtr>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    char letter = kParams.letters[i < kParams.size() ? i : kParams.size() - 1];
    LogicalType type = ParamType(letter, args[i]->type);
    if (type.id == TypeId::kNull) return CannotApply(name, args);
  }
  for (size_t i = 0; i < args.size(); ++i) {
    char letter = kParams.letters[i < kParams.size() ? i : kParams.size() - 1];
    args[i] = CastIfNeeded(args[i], ParamType(letter, args[i]->type));
  }
  return BoundExpr::Call(name, TypeOfId(kResult), args);
}

template <KernelFn kKernel>
Result<ResolvedKernel> FixedKernel(const BoundExpr&, const ConstantArgs&) {
  return ResolvedKernel{kKernel, nullptr, nullptr};
}

}  // namespace sluice
