#include "exec/expr/bound_expr.h"

namespace sluice {

ExprPtr BoundExpr::ColumnRef(int column, LogicalType type, std::string name) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = ExprKind::kColumnRef;
  e->column = column;
  e->type = type;
  e->name = std::move(name);
  return e;
}

ExprPtr BoundExpr::Literal(Value value) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = ExprKind::kLiteral;
  e->type = value.type();
  e->literal = std::move(value);
  return e;
}

ExprPtr BoundExpr::Call(std::string function, LogicalType type, std::vector<ExprPtr> children) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = ExprKind::kCall;
  e->name = std::move(function);
  e->type = type;
  e->children = std::move(children);
  return e;
}

ExprPtr BoundExpr::Cast(ExprPtr child, LogicalType type, bool try_cast) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = ExprKind::kCast;
  e->type = type;
  e->try_cast = try_cast;
  e->children.push_back(std::move(child));
  return e;
}

ExprPtr BoundExpr::Case(LogicalType type, std::vector<ExprPtr> children, bool has_else) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = ExprKind::kCase;
  e->type = type;
  e->children = std::move(children);
  e->has_else = has_else;
  return e;
}

namespace {
bool IsInfix(const std::string& f) {
  static const char* kInfix[] = {"+",  "-", "*",  "/",   "%",  "=",    "<>", "<",
                                 "<=", ">", ">=", "and", "or", "like", "||"};
  for (const char* op : kInfix) {
    if (f == op) return true;
  }
  return false;
}
}  // namespace

std::string BoundExpr::ToString() const {
  switch (kind) {
    case ExprKind::kColumnRef:
      return name.empty() ? "$" + std::to_string(column) : name;
    case ExprKind::kLiteral:
      return literal.type().id == TypeId::kVarchar && !literal.is_null()
                 ? "'" + literal.GetString() + "'"
                 : literal.ToString();
    case ExprKind::kCast:
      return std::string(try_cast ? "TRY_CAST(" : "CAST(") + children[0]->ToString() + " AS " +
             type.ToString() + ")";
    case ExprKind::kCase: {
      std::string s = "CASE";
      size_t pairs = (children.size() - (has_else ? 1 : 0)) / 2;
      for (size_t i = 0; i < pairs; ++i) {
        s += " WHEN " + children[2 * i]->ToString() + " THEN " + children[2 * i + 1]->ToString();
      }
      if (has_else) s += " ELSE " + children.back()->ToString();
      return s + " END";
    }
    case ExprKind::kCall: {
      if (IsInfix(name) && children.size() == 2) {
        std::string op = name == "and"    ? "AND"
                         : name == "or"   ? "OR"
                         : name == "like" ? "LIKE"
                                          : name;
        return "(" + children[0]->ToString() + " " + op + " " + children[1]->ToString() + ")";
      }
      std::string s = name + "(";
      for (size_t i = 0; i < children.size(); ++i) {
        if (i) s += ", ";
        s += children[i]->ToString();
      }
      return s + ")";
    }
  }
  return "?";
}

}  // namespace sluice
