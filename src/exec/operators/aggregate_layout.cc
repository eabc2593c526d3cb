#include "exec/operators/aggregate_layout.h"

namespace sluice {

bool SamePhysicalType(const LogicalType& a, const LogicalType& b) {
  auto physical = [](TypeId id) {
    switch (id) {
      case TypeId::kDate:
        return TypeId::kInt;
      case TypeId::kTimestamp:
      case TypeId::kTimestampLtz:
      case TypeId::kInterval:
        return TypeId::kBigint;
      default:
        return id;
    }
  };
  return physical(a.id) == physical(b.id);
}

Result<AggregateLayout> AggregateLayout::Make(const std::vector<int>& group_keys,
                                              const std::vector<AggregateCall>& calls,
                                              const Schema& output_schema, size_t trailing_columns,
                                              bool retractable) {
  const size_t expected = group_keys.size() + calls.size() + trailing_columns;
  if (output_schema.size() != expected) {
    return Status::Internal("aggregate output schema has " + std::to_string(output_schema.size()) +
                            " columns, expected " + std::to_string(expected));
  }
  AggregateLayout layout;
  std::vector<LogicalType> key_types;
  for (size_t k = 0; k < group_keys.size(); ++k) {
    if (group_keys[k] < 0) return Status::Internal("negative group key column");
    key_types.push_back(output_schema[k].type);
  }
  layout.codec_ = GroupKeyCodec(group_keys, std::move(key_types));
  layout.calls_ = calls;
  layout.retractable_ = retractable;
  for (size_t j = 0; j < calls.size(); ++j) {
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<AggregateState> state,
                            CreateAggregateState(calls[j], retractable));
    const Field& field = output_schema[group_keys.size() + j];
    if (!(state->result_type() == field.type)) {
      return Status::Internal(calls[j].ToString() + " returns " + state->result_type().ToString() +
                              " but the output column '" + field.name + "' is " +
                              field.type.ToString());
    }
    layout.prototypes_.push_back(std::move(state));
  }
  return layout;
}

std::string AggregateLayout::StateSchema() const {
  std::string schema = "keys=[";
  for (size_t k = 0; k < codec_.key_types().size(); ++k) {
    if (k) schema += ",";
    schema += codec_.key_types()[k].ToString();
  }
  schema += "] aggs=[";
  for (size_t j = 0; j < calls_.size(); ++j) {
    if (j) schema += ",";
    const AggregateCall& call = calls_[j];
    schema +=
        call.ToString(call.kind == AggregateKind::kCountStar ? "" : call.argument_type.ToString());
    schema += "->" + prototypes_[j]->result_type().ToString();
  }
  schema += retractable_ ? "] retract" : "]";
  return schema;
}

Status AggregateLayout::CheckInput(const Batch& batch) const {
  const std::vector<int>& keys = codec_.key_columns();
  for (size_t k = 0; k < keys.size(); ++k) {
    if (static_cast<size_t>(keys[k]) >= batch.num_columns() ||
        !SamePhysicalType(batch.column(keys[k])->type(), codec_.key_types()[k])) {
      return Status::Internal("group key column $" + std::to_string(keys[k]) + " missing or not " +
                              codec_.key_types()[k].ToString());
    }
  }
  for (const AggregateCall& call : calls_) {
    if (call.kind == AggregateKind::kCountStar) continue;
    if (static_cast<size_t>(call.argument) >= batch.num_columns()) {
      return Status::Internal(call.ToString() + ": input has no column $" +
                              std::to_string(call.argument));
    }
    // COUNT reads only validity, so any argument type will do.
    if (call.kind != AggregateKind::kCount || call.distinct) {
      const LogicalType& actual = batch.column(call.argument)->type();
      if (!SamePhysicalType(actual, call.argument_type) ||
          (actual.id == TypeId::kDecimal && actual.scale != call.argument_type.scale)) {
        return Status::Internal(call.ToString() + ": argument is " + actual.ToString() +
                                ", expected " + call.argument_type.ToString());
      }
    }
  }
  return Status::OK();
}

void AggregateLayout::Arguments(const Batch& batch, std::vector<const Column*>* arguments) const {
  arguments->resize(calls_.size());
  for (size_t j = 0; j < calls_.size(); ++j) {
    (*arguments)[j] = calls_[j].kind == AggregateKind::kCountStar
                          ? nullptr
                          : batch.column(calls_[j].argument).get();
  }
}

}  // namespace sluice
