// = <> < <= > >= and IN, for every type (strings byte-wise). Besides the value kernels each has a
// select kernel, so `amount > 100` or `status IN ('a', 'b')` in a WHERE clause reads the batch
// column through the selection and writes the passing rows directly.

#include <algorithm>
#include <string>

#include "exec/functions/kernel_loops.h"
#include "exec/functions/scalar_function.h"
#include "exec/functions/string_equality.h"
#include "exec/functions/type_coercion.h"

namespace sluice {

namespace {

// --- typing ---

Result<LogicalType> ComparisonType(const LogicalType& a, const LogicalType& b) {
  if (a.id == TypeId::kNull && b.id == TypeId::kNull) return LogicalType::Int();
  LogicalType x = a.id == TypeId::kNull ? b : a;
  LogicalType y = b.id == TypeId::kNull ? a : b;
  bool x_time = x.IsTimestamp() || x.id == TypeId::kDate;
  bool y_time = y.IsTimestamp() || y.id == TypeId::kDate;
  if ((x.IsNumeric() && y.IsNumeric()) || (x_time && y_time)) return CommonType(x, y);
  if (x.id == y.id) return x;
  return Status::TypeError("not comparable");
}

Result<ExprPtr> BindComparison(const std::string& name, std::vector<ExprPtr>& args) {
  std::string op = name == "!=" ? "<>" : name;
  Result<LogicalType> type = ComparisonType(args[0]->type, args[1]->type);
  if (!type.ok()) return CannotApply(op, args);
  return BoundExpr::Call(op, LogicalType::Boolean(),
                         {CastIfNeeded(args[0], *type), CastIfNeeded(args[1], *type)});
}

Result<ExprPtr> BindIn(const std::string& name, std::vector<ExprPtr>& args) {
  LogicalType type = args[0]->type;
  for (size_t i = 1; i < args.size(); ++i) {
    Result<LogicalType> common = ComparisonType(type, args[i]->type);
    if (!common.ok()) {
      return Status::TypeError("cannot apply 'IN' to " + args[0]->type.ToString() +
                               " and a list containing " + args[i]->type.ToString());
    }
    type = *common;
  }
  for (ExprPtr& arg : args) arg = CastIfNeeded(arg, type);
  return BoundExpr::Call("in", LogicalType::Boolean(), args);
}

// --- operators ---

struct Eq {
  template <typename T>
  static bool Apply(const T& a, const T& b) {
    return a == b;
  }
};
struct Ne {
  template <typename T>
  static bool Apply(const T& a, const T& b) {
    return a != b;
  }
};
struct Lt {
  template <typename T>
  static bool Apply(const T& a, const T& b) {
    return a < b;
  }
};
struct Le {
  template <typename T>
  static bool Apply(const T& a, const T& b) {
    return a <= b;
  }
};
struct Gt {
  template <typename T>
  static bool Apply(const T& a, const T& b) {
    return a > b;
  }
};
struct Ge {
  template <typename T>
  static bool Apply(const T& a, const T& b) {
    return a >= b;
  }
};

// `=` / `<>` between strings, where a constant side gets the word-load comparison.
template <typename T, typename Op>
constexpr bool kStringEquality = std::is_same_v<T, std::string_view> &&
                                 (std::is_same_v<Op, Eq> || std::is_same_v<Op, Ne>);

template <typename T, typename Op>
Status Compare(const KernelContext&, const Datum* args, size_t, size_t count, Column* out) {
  PropagateNulls(args, 2, count, out);
  if constexpr (kStringEquality<T, Op>) {
    if (args[0].constant != args[1].constant) {
      const Datum& column = args[0].constant ? args[1] : args[0];
      const Datum& constant = args[0].constant ? args[0] : args[1];
      FixedStringEquals equals(constant.data<std::string_view>()[0]);
      MapUnary<uint8_t, std::string_view>(
          column, count, out->data<uint8_t>(),
          [&equals](std::string_view s) { return equals(s) == std::is_same_v<Op, Eq>; });
      return Status::OK();
    }
  }
  MapBinary<uint8_t, T, T>(args[0], args[1], count, out->data<uint8_t>(),
                           [](const T& a, const T& b) { return Op::Apply(a, b); });
  return Status::OK();
}

size_t CopyRows(const uint32_t* rows, size_t count, uint32_t* out) {
  for (size_t i = 0; i < count; ++i) out[i] = rows ? rows[i] : static_cast<uint32_t>(i);
  return count;
}

// Rows of `col` (a whole batch column) whose value passes test(value). Branch-free: every row is
// written, and the count advances only for passing ones.
template <typename T, typename Test>
size_t SelectWhere(const Column& col, const uint32_t* rows, size_t count, uint32_t* out,
                   Test&& test) {
  const T* d = col.data<T>();
  const uint8_t* v = col.validity();
  size_t n = 0;
  if (rows != nullptr) {
    if (v != nullptr) {
      for (size_t i = 0; i < count; ++i) {
        uint32_t r = rows[i];
        out[n] = r;
        n += v[r] & static_cast<uint8_t>(test(d[r]));
      }
    } else {
      for (size_t i = 0; i < count; ++i) {
        uint32_t r = rows[i];
        out[n] = r;
        n += test(d[r]);
      }
    }
  } else if (v != nullptr) {
    for (size_t i = 0; i < count; ++i) {
      out[n] = static_cast<uint32_t>(i);
      n += v[i] & static_cast<uint8_t>(test(d[i]));
    }
  } else {
    for (size_t i = 0; i < count; ++i) {
      out[n] = static_cast<uint32_t>(i);
      n += test(d[i]);
    }
  }
  return n;
}

template <typename T, typename Op>
size_t CompareSelect(const KernelContext&, const Datum* args, const uint32_t* rows, size_t count,
                     uint32_t* out) {
  const Datum& a = args[0];
  const Datum& b = args[1];
  if (a.IsNullConstant() || b.IsNullConstant()) return 0;
  if (a.constant && b.constant) {
    return Op::Apply(a.data<T>()[0], b.data<T>()[0]) ? CopyRows(rows, count, out) : 0;
  }
  if constexpr (kStringEquality<T, Op>) {
    if (a.constant || b.constant) {
      FixedStringEquals equals((a.constant ? a : b).data<std::string_view>()[0]);
      return SelectWhere<T>(
          *(a.constant ? b : a).column, rows, count, out,
          [&equals](std::string_view s) { return equals(s) == std::is_same_v<Op, Eq>; });
    }
  }
  if (b.constant) {
    const T c = b.data<T>()[0];
    return SelectWhere<T>(*a.column, rows, count, out, [c](const T& x) { return Op::Apply(x, c); });
  }
  if (a.constant) {
    const T c = a.data<T>()[0];
    return SelectWhere<T>(*b.column, rows, count, out, [c](const T& x) { return Op::Apply(c, x); });
  }
  const T* bd = b.data<T>();
  const uint8_t* bv = b.column->validity();
  // Two columns: a's loop handles a's NULLs, b's are checked inline.
  size_t n = 0;
  const T* ad = a.data<T>();
  const uint8_t* av = a.column->validity();
  for (size_t i = 0; i < count; ++i) {
    uint32_t r = rows ? rows[i] : static_cast<uint32_t>(i);
    out[n] = r;
    bool valid = (av == nullptr || av[r]) && (bv == nullptr || bv[r]);
    n += valid && Op::Apply(ad[r], bd[r]);
  }
  return n;
}

template <typename Op>
Result<ResolvedKernel> ResolveOp(TypeId id) {
  return VisitPhysicalType(id, [&]<typename T>() -> Result<ResolvedKernel> {
    return ResolvedKernel{Compare<T, Op>, CompareSelect<T, Op>, nullptr};
  });
}

Result<ResolvedKernel> ResolveComparison(const BoundExpr& call, const ConstantArgs&) {
  TypeId id = call.children[0]->type.id;
  const std::string& op = call.name;
  if (op == "=") return ResolveOp<Eq>(id);
  if (op == "<>") return ResolveOp<Ne>(id);
  if (op == "<") return ResolveOp<Lt>(id);
  if (op == "<=") return ResolveOp<Le>(id);
  if (op == ">") return ResolveOp<Gt>(id);
  return ResolveOp<Ge>(id);
}

// --- IN ---

// A constant IN list, sorted for binary search (NaN never matches, as in Java).
template <typename T>
struct InList {
  std::vector<std::string> storage;  // owns VARCHAR items
  std::vector<T> values;
  bool has_null = false;

  bool Contains(const T& v) const {
    if constexpr (std::is_same_v<T, double>) {
      if (v != v) return false;
    }
    return std::binary_search(values.begin(), values.end(), v);
  }
};

template <typename T>
Status InConstant(const KernelContext& ctx, const Datum* args, size_t, size_t count, Column* out) {
  const auto& list = *static_cast<const InList<T>*>(ctx.state);
  PropagateNulls(args, 1, count, out);
  uint8_t* result = out->data<uint8_t>();
  ArgReader<T> x(args[0]);
  for (size_t i = 0; i < count; ++i) result[i] = list.Contains(x[i]);
  if (list.has_null) {
    // x IN (..., NULL) is NULL rather than FALSE when nothing matches.
    for (size_t i = 0; i < count; ++i) {
      if (!result[i]) out->SetNull(i, true);
    }
  }
  return Status::OK();
}

template <typename T>
size_t InConstantSelect(const KernelContext& ctx, const Datum* args, const uint32_t* rows,
                        size_t count, uint32_t* out) {
  const auto& list = *static_cast<const InList<T>*>(ctx.state);
  if (args[0].constant) {
    return !args[0].IsNull(0) && list.Contains(args[0].data<T>()[0]) ? CopyRows(rows, count, out)
                                                                     : 0;
  }
  return SelectWhere<T>(*args[0].column, rows, count, out,
                        [&list](const T& v) { return list.Contains(v); });
}

// IN over computed list items: compared row by row.
template <typename T>
Status InGeneral(const KernelContext&, const Datum* args, size_t num_args, size_t count,
                 Column* out) {
  PropagateNulls(args, 1, count, out);
  uint8_t* result = out->data<uint8_t>();
  ArgReader<T> x(args[0]);
  return ForEachValidRow(*out, count, [&](size_t i) {
    bool found = false, saw_null = false;
    for (size_t a = 1; a < num_args && !found; ++a) {
      if (args[a].IsNull(i)) {
        saw_null = true;
      } else {
        found = x[i] == ArgReader<T>(args[a])[i];
      }
    }
    result[i] = found;
    if (!found && saw_null) out->SetNull(i, true);
    return Status::OK();
  });
}

Result<ResolvedKernel> ResolveIn(const BoundExpr& call, const ConstantArgs& constants) {
  bool constant_list = true;
  for (size_t i = 1; i < constants.size(); ++i) constant_list &= constants[i].has_value();
  TypeId id = call.children[0]->type.id;
  return VisitPhysicalType(id, [&]<typename T>() -> Result<ResolvedKernel> {
    if (!constant_list) return ResolvedKernel{InGeneral<T>, nullptr, nullptr};
    auto list = std::make_shared<InList<T>>();
    for (size_t i = 1; i < constants.size(); ++i) {
      const Value& v = *constants[i];
      if (v.is_null()) {
        list->has_null = true;
      } else if constexpr (std::is_same_v<T, std::string_view>) {
        list->storage.push_back(v.GetString());
      } else if constexpr (std::is_same_v<T, double>) {
        if (v.GetDouble() == v.GetDouble()) list->values.push_back(v.GetDouble());
      } else {
        list->values.push_back(ValueAs<T>(v));
      }
    }
    if constexpr (std::is_same_v<T, std::string_view>) {
      for (const std::string& s : list->storage) list->values.push_back(s);
    }
    std::sort(list->values.begin(), list->values.end());
    // With a NULL in the list only TRUE rows can pass a filter; the select path still applies.
    return ResolvedKernel{InConstant<T>, InConstantSelect<T>, list};
  });
}

const ScalarFunction kFunctions[] = {
    {"=", 2, 2, BindComparison, ResolveComparison},
    {"<>", 2, 2, BindComparison, ResolveComparison},
    {"!=", 2, 2, BindComparison, ResolveComparison},
    {"<", 2, 2, BindComparison, ResolveComparison},
    {"<=", 2, 2, BindComparison, ResolveComparison},
    {">", 2, 2, BindComparison, ResolveComparison},
    {">=", 2, 2, BindComparison, ResolveComparison},
    {"in", 2, -1, BindIn, ResolveIn},
};

}  // namespace

std::span<const ScalarFunction> ComparisonFunctions() {
  return kFunctions;
}

}  // namespace sluice
