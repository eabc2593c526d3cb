#include "exec/functions/function_registry.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "common/did_you_mean.h"

#include "exec/functions/scalar_function.h"
#include "exec/functions/type_coercion.h"

namespace sluice {

namespace {

using FunctionMap = std::map<std::string, const ScalarFunction*, std::less<>>;

const FunctionMap& Functions() {
  static const FunctionMap* map = [] {
    auto* m = new FunctionMap();
    for (auto family :
         {ArithmeticFunctions(), ComparisonFunctions(), LogicalFunctions(), ConditionalFunctions(),
          StringFunctions(), PatternFunctions(), MathFunctions(), TimeFunctions()}) {
      for (const ScalarFunction& f : family) m->emplace(f.name, &f);
    }
    return m;
  }();
  return *map;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Word-like names only: an operator is never a useful suggestion.
std::vector<std::string> SuggestableNames() {
  std::vector<std::string> names;
  for (const auto& [name, fn] : Functions()) {
    if (std::isalpha(static_cast<unsigned char>(name[0]))) names.push_back(name);
  }
  return names;
}

std::string ArityText(const ScalarFunction& f) {
  auto plural = [](int n) { return std::to_string(n) + (n == 1 ? " argument" : " arguments"); };
  if (f.max_args < 0) return "at least " + plural(f.min_args);
  if (f.min_args == f.max_args) return plural(f.min_args);
  return std::to_string(f.min_args) + " to " + plural(f.max_args);
}

}  // namespace

const ScalarFunction* FindScalarFunction(const std::string& name) {
  const FunctionMap& map = Functions();
  auto it = map.find(name);
  return it == map.end() ? nullptr : it->second;
}

bool IsScalarFunction(const std::string& name) {
  return FindScalarFunction(Lower(name)) != nullptr;
}

std::vector<std::string> ScalarFunctionNames() {
  std::vector<std::string> names;
  for (const auto& [name, fn] : Functions()) names.push_back(name);
  return names;
}

Result<ExprPtr> BindFunctionCall(const std::string& name, std::vector<ExprPtr> args) {
  std::string lower = Lower(name);
  const ScalarFunction* fn = FindScalarFunction(lower);
  if (fn == nullptr) {
    return Status::BindError("unknown function '" + name + "'" +
                             DidYouMeanSuffix(lower, SuggestableNames()));
  }
  int n = static_cast<int>(args.size());
  if (n < fn->min_args || (fn->max_args >= 0 && n > fn->max_args)) {
    return Status::BindError("function '" + lower + "' takes " + ArityText(*fn) + ", got " +
                             std::to_string(n));
  }
  return fn->bind(lower, args);
}

Result<ExprPtr> BindCase(std::vector<ExprPtr> children, bool has_else) {
  size_t pairs = (children.size() - (has_else ? 1 : 0)) / 2;
  if (pairs == 0 || pairs * 2 + (has_else ? 1 : 0) != children.size()) {
    return Status::BindError("CASE needs at least one WHEN ... THEN ...");
  }
  LogicalType type = LogicalType::Null();
  auto is_value = [&](size_t i) { return i % 2 == 1 || (has_else && i == children.size() - 1); };
  for (size_t i = 0; i < children.size(); ++i) {
    if (!is_value(i)) {
      TypeId id = children[i]->type.id;
      if (id != TypeId::kBoolean && id != TypeId::kNull) {
        return Status::TypeError("CASE WHEN condition must be BOOLEAN, got " +
                                 children[i]->type.ToString());
      }
      children[i] = CastIfNeeded(children[i], LogicalType::Boolean());
      continue;
    }
    Result<LogicalType> common = CommonType(type, children[i]->type);
    if (!common.ok()) {
      return Status::TypeError("CASE branches have incompatible types " + type.ToString() +
                               " and " + children[i]->type.ToString());
    }
    type = *common;
  }
  for (size_t i = 0; i < children.size(); ++i) {
    if (is_value(i)) children[i] = CastIfNeeded(children[i], type);
  }
  return BoundExpr::Case(type, std::move(children), has_else);
}

Result<ExprPtr> BindCast(ExprPtr child, LogicalType target, bool try_cast) {
  if (SameType(child->type, target)) return child;
  Result<ResolvedKernel> kernel = ResolveCast(child->type, target);
  if (!kernel.ok()) return kernel.status();
  return BoundExpr::Cast(std::move(child), target, try_cast);
}

Result<ExprPtr> CoerceTo(ExprPtr expr, LogicalType target) {
  const LogicalType& from = expr->type;
  if (SameType(from, target)) return expr;
  bool same_family = from.id == target.id;  // DECIMAL or TIMESTAMP precision changes
  if (same_family || CanImplicitCast(from, target)) return BoundExpr::Cast(std::move(expr), target);
  return Status::TypeError("cannot implicitly cast " + from.ToString() + " to " +
                           target.ToString());
}

}  // namespace sluice
