#include "formats/avro/avro_schema.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "formats/json/json_encoder.h"

namespace sluice {

std::string_view AvroTypeName(AvroType type) {
  switch (type) {
    case AvroType::kNull:
      return "null";
    case AvroType::kBoolean:
      return "boolean";
    case AvroType::kInt:
      return "int";
    case AvroType::kLong:
      return "long";
    case AvroType::kFloat:
      return "float";
    case AvroType::kDouble:
      return "double";
    case AvroType::kBytes:
      return "bytes";
    case AvroType::kString:
      return "string";
    case AvroType::kRecord:
      return "record";
    case AvroType::kEnum:
      return "enum";
    case AvroType::kArray:
      return "array";
    case AvroType::kMap:
      return "map";
    case AvroType::kUnion:
      return "union";
    case AvroType::kFixed:
      return "fixed";
  }
  return "?";
}

std::string_view AvroLogicalTypeName(AvroLogicalType type) {
  switch (type) {
    case AvroLogicalType::kNone:
      return "";
    case AvroLogicalType::kDecimal:
      return "decimal";
    case AvroLogicalType::kUuid:
      return "uuid";
    case AvroLogicalType::kDate:
      return "date";
    case AvroLogicalType::kTimeMillis:
      return "time-millis";
    case AvroLogicalType::kTimeMicros:
      return "time-micros";
    case AvroLogicalType::kTimestampMillis:
      return "timestamp-millis";
    case AvroLogicalType::kTimestampMicros:
      return "timestamp-micros";
    case AvroLogicalType::kTimestampNanos:
      return "timestamp-nanos";
    case AvroLogicalType::kLocalTimestampMillis:
      return "local-timestamp-millis";
    case AvroLogicalType::kLocalTimestampMicros:
      return "local-timestamp-micros";
    case AvroLogicalType::kLocalTimestampNanos:
      return "local-timestamp-nanos";
    case AvroLogicalType::kDuration:
      return "duration";
  }
  return "";
}

std::string_view AvroNode::short_name() const {
  size_t dot = full_name.rfind('.');
  return dot == std::string::npos ? std::string_view(full_name)
                                  : std::string_view(full_name).substr(dot + 1);
}

int AvroSchema::AddNode(AvroNode node) {
  nodes_.push_back(std::move(node));
  return static_cast<int>(nodes_.size() - 1);
}

namespace {

namespace dom = simdjson::dom;

constexpr int kMaxSchemaDepth = 200;

bool IsPrimitiveName(std::string_view name, AvroType* type) {
  static const std::pair<std::string_view, AvroType> kPrimitives[] = {
      {"null", AvroType::kNull},   {"boolean", AvroType::kBoolean}, {"int", AvroType::kInt},
      {"long", AvroType::kLong},   {"float", AvroType::kFloat},     {"double", AvroType::kDouble},
      {"bytes", AvroType::kBytes}, {"string", AvroType::kString},
  };
  for (const auto& [n, t] : kPrimitives) {
    if (n == name) {
      *type = t;
      return true;
    }
  }
  return false;
}

// Avro names: [A-Za-z_][A-Za-z0-9_]*, dot-separated in full names.
bool IsValidName(std::string_view name) {
  if (name.empty()) return false;
  char c = name[0];
  if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_')) return false;
  for (char d : name.substr(1)) {
    if (!((d >= 'A' && d <= 'Z') || (d >= 'a' && d <= 'z') || (d >= '0' && d <= '9') || d == '_')) {
      return false;
    }
  }
  return true;
}

bool IsValidFullName(std::string_view name) {
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    std::string_view part = name.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (!IsValidName(part)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

class SchemaParser {
 public:
  explicit SchemaParser(AvroSchema* schema) : schema_(schema) {}

  Result<int> ParseType(dom::element element, const std::string& ns, int depth);

 private:
  Status Bad(std::string reason) {
    return Status::InvalidArgument("invalid Avro schema: " + std::move(reason));
  }
  Result<int> Named(std::string_view name, const std::string& ns);
  Result<int> ParseObject(dom::object object, const std::string& ns, int depth);
  Result<int> ParseUnion(dom::array array, const std::string& ns, int depth);
  Status ParseNamed(dom::object object, const std::string& ns, AvroNode* node, std::string* own_ns);
  void ApplyLogicalType(dom::object object, AvroNode* node);

  AvroSchema* schema_;
  std::map<std::string, int, std::less<>> names_;
};

Result<int> SchemaParser::Named(std::string_view name, const std::string& ns) {
  AvroType primitive;
  if (IsPrimitiveName(name, &primitive)) {
    AvroNode node;
    node.type = primitive;
    return schema_->AddNode(std::move(node));
  }
  if (name.find('.') == std::string_view::npos && !ns.empty()) {
    auto it = names_.find(ns + "." + std::string(name));
    if (it != names_.end()) return it->second;
  }
  auto it = names_.find(name);
  if (it != names_.end()) return it->second;
  return Bad("unknown type '" + std::string(name) + "'" +
             (ns.empty() ? std::string() : " (namespace '" + ns + "')"));
}

Status SchemaParser::ParseNamed(dom::object object, const std::string& ns, AvroNode* node,
                                std::string* own_ns) {
  std::string_view type_name = AvroTypeName(node->type);
  std::string_view name;
  if (object["name"].get_string().get(name)) {
    return Bad(std::string(type_name) + " without a string 'name'");
  }
  std::string_view explicit_ns;
  bool has_ns = object["namespace"].get_string().get(explicit_ns) == simdjson::SUCCESS;
  std::string full;
  if (name.find('.') != std::string_view::npos) {
    full = std::string(name);
  } else if (has_ns) {
    full = explicit_ns.empty() ? std::string(name)
                               : std::string(explicit_ns) + "." + std::string(name);
  } else {
    full = ns.empty() ? std::string(name) : ns + "." + std::string(name);
  }
  if (!IsValidFullName(full)) return Bad("invalid name '" + full + "'");
  AvroType primitive;
  size_t last_dot = full.rfind('.');
  std::string_view short_name = last_dot == std::string::npos
                                    ? std::string_view(full)
                                    : std::string_view(full).substr(last_dot + 1);
  if (IsPrimitiveName(short_name, &primitive)) {
    return Bad("'" + full + "' redefines a primitive type");
  }
  if (names_.count(full)) return Bad("type '" + full + "' is defined twice");
  node->full_name = full;
  size_t dot = full.rfind('.');
  *own_ns = dot == std::string::npos ? std::string() : full.substr(0, dot);
  dom::array aliases;
  if (object["aliases"].get_array().get(aliases) == simdjson::SUCCESS) {
    for (dom::element alias : aliases) {
      std::string_view a;
      if (alias.get_string().get(a)) return Bad("aliases of '" + full + "' must be strings");
      std::string alias_full = a.find('.') != std::string_view::npos || own_ns->empty()
                                   ? std::string(a)
                                   : *own_ns + "." + std::string(a);
      node->aliases.push_back(std::move(alias_full));
    }
  }
  return Status::OK();
}

void SchemaParser::ApplyLogicalType(dom::object object, AvroNode* node) {
  std::string_view logical;
  if (object["logicalType"].get_string().get(logical)) return;
  const AvroType t = node->type;
  auto set_if = [&](bool valid, AvroLogicalType type) {
    if (valid) node->logical = type;
  };
  if (logical == "decimal") {
    int64_t precision = 0, scale = 0;
    if (object["precision"].get_int64().get(precision)) return;
    if (object["scale"].error() != simdjson::NO_SUCH_FIELD &&
        object["scale"].get_int64().get(scale)) {
      return;
    }
    if (precision <= 0 || scale < 0 || scale > precision) return;
    if (t == AvroType::kFixed) {
      // The largest precision an n-byte two's complement number can hold.
      if (node->fixed_size <= 0) return;
      double max_digits = std::floor(std::log10(2.0) * (8.0 * node->fixed_size - 1));
      if (precision > max_digits) return;
    } else if (t != AvroType::kBytes) {
      return;
    }
    node->logical = AvroLogicalType::kDecimal;
    node->precision = static_cast<int>(std::min<int64_t>(precision, 1000));
    node->scale = static_cast<int>(std::min<int64_t>(scale, 1000));
  } else if (logical == "uuid") {
    set_if(t == AvroType::kString || (t == AvroType::kFixed && node->fixed_size == 16),
           AvroLogicalType::kUuid);
  } else if (logical == "date") {
    set_if(t == AvroType::kInt, AvroLogicalType::kDate);
  } else if (logical == "time-millis") {
    set_if(t == AvroType::kInt, AvroLogicalType::kTimeMillis);
  } else if (logical == "time-micros") {
    set_if(t == AvroType::kLong, AvroLogicalType::kTimeMicros);
  } else if (logical == "timestamp-millis") {
    set_if(t == AvroType::kLong, AvroLogicalType::kTimestampMillis);
  } else if (logical == "timestamp-micros") {
    set_if(t == AvroType::kLong, AvroLogicalType::kTimestampMicros);
  } else if (logical == "timestamp-nanos") {
    set_if(t == AvroType::kLong, AvroLogicalType::kTimestampNanos);
  } else if (logical == "local-timestamp-millis") {
    set_if(t == AvroType::kLong, AvroLogicalType::kLocalTimestampMillis);
  } else if (logical == "local-timestamp-micros") {
    set_if(t == AvroType::kLong, AvroLogicalType::kLocalTimestampMicros);
  } else if (logical == "local-timestamp-nanos") {
    set_if(t == AvroType::kLong, AvroLogicalType::kLocalTimestampNanos);
  } else if (logical == "duration") {
    set_if(t == AvroType::kFixed && node->fixed_size == 12, AvroLogicalType::kDuration);
  }
}

Result<int> SchemaParser::ParseType(dom::element element, const std::string& ns, int depth) {
  if (depth > kMaxSchemaDepth) return Bad("nested too deeply");
  switch (element.type()) {
    case dom::element_type::STRING: {
      std::string_view name;
      if (element.get_string().get(name)) return Bad("bad type name");
      return Named(name, ns);
    }
    case dom::element_type::ARRAY: {
      dom::array array;
      if (element.get_array().get(array)) return Bad("bad union");
      return ParseUnion(array, ns, depth);
    }
    case dom::element_type::OBJECT: {
      dom::object object;
      if (element.get_object().get(object)) return Bad("bad type object");
      return ParseObject(object, ns, depth);
    }
    default:
      return Bad("expected a type name, an object or a union array, got " +
                 simdjson::minify(element));
  }
}

Result<int> SchemaParser::ParseUnion(dom::array array, const std::string& ns, int depth) {
  AvroNode node;
  node.type = AvroType::kUnion;
  std::set<std::string> seen;
  for (dom::element branch : array) {
    SLUICE_ASSIGN_OR_RETURN(int index, ParseType(branch, ns, depth + 1));
    const AvroNode& b = schema_->node(index);
    if (b.type == AvroType::kUnion) return Bad("a union may not directly contain a union");
    std::string key = b.is_named() ? b.full_name : std::string(AvroTypeName(b.type));
    if (!seen.insert(key).second) return Bad("union contains '" + key + "' twice");
    node.branches.push_back(index);
  }
  if (node.branches.empty()) return Bad("empty union");
  return schema_->AddNode(std::move(node));
}

Result<int> SchemaParser::ParseObject(dom::object object, const std::string& ns, int depth) {
  dom::element type_element;
  if (object["type"].get(type_element))
    return Bad("object without 'type': " + simdjson::minify(object));
  std::string_view type_name;
  if (type_element.get_string().get(type_name)) {
    // {"type": {...}} or {"type": [...]}: a wrapped type.
    return ParseType(type_element, ns, depth + 1);
  }
  AvroNode node;
  if (IsPrimitiveName(type_name, &node.type)) {
    ApplyLogicalType(object, &node);
    return schema_->AddNode(std::move(node));
  }
  std::string own_ns;
  if (type_name == "record" || type_name == "error") {
    node.type = AvroType::kRecord;
    SLUICE_RETURN_IF_ERROR(ParseNamed(object, ns, &node, &own_ns));
    dom::array fields;
    if (object["fields"].get_array().get(fields)) {
      return Bad("record '" + node.full_name + "' without a 'fields' array");
    }
    // Registered before its fields, so that fields may refer to the record itself.
    const std::string full = node.full_name;
    const int index = schema_->AddNode(std::move(node));
    names_[full] = index;
    std::vector<AvroField> parsed;
    std::set<std::string, std::less<>> field_names;
    for (dom::element f : fields) {
      dom::object fo;
      if (f.get_object().get(fo))
        return Bad("record '" + full + "' has a field that is not an object");
      AvroField field;
      std::string_view fname;
      if (fo["name"].get_string().get(fname)) {
        return Bad("record '" + full + "' has a field without a string 'name'");
      }
      field.name = std::string(fname);
      if (!IsValidName(field.name)) {
        return Bad("record '" + full + "' has a field with invalid name '" + field.name + "'");
      }
      if (!field_names.insert(field.name).second) {
        return Bad("record '" + full + "' has field '" + field.name + "' twice");
      }
      dom::element ftype;
      if (fo["type"].get(ftype)) {
        return Bad("record '" + full + "' field '" + field.name + "' has no 'type'");
      }
      auto type = ParseType(ftype, own_ns, depth + 1);
      if (!type.ok()) return type.status();
      field.type = *type;
      dom::element def;
      if (fo["default"].get(def) == simdjson::SUCCESS) field.default_json = simdjson::minify(def);
      dom::array aliases;
      if (fo["aliases"].get_array().get(aliases) == simdjson::SUCCESS) {
        for (dom::element alias : aliases) {
          std::string_view a;
          if (alias.get_string().get(a) == simdjson::SUCCESS) field.aliases.emplace_back(a);
        }
      }
      parsed.push_back(std::move(field));
    }
    schema_->mutable_node(index).fields = std::move(parsed);
    return index;
  }
  if (type_name == "enum") {
    node.type = AvroType::kEnum;
    SLUICE_RETURN_IF_ERROR(ParseNamed(object, ns, &node, &own_ns));
    dom::array symbols;
    if (object["symbols"].get_array().get(symbols)) {
      return Bad("enum '" + node.full_name + "' without a 'symbols' array");
    }
    std::set<std::string, std::less<>> seen;
    for (dom::element s : symbols) {
      std::string_view symbol;
      if (s.get_string().get(symbol) || !IsValidName(symbol)) {
        return Bad("enum '" + node.full_name + "' has an invalid symbol " + simdjson::minify(s));
      }
      if (!seen.insert(std::string(symbol)).second) {
        return Bad("enum '" + node.full_name + "' has symbol '" + std::string(symbol) + "' twice");
      }
      node.symbols.emplace_back(symbol);
    }
    std::string_view def;
    if (object["default"].get_string().get(def) == simdjson::SUCCESS) {
      if (!seen.count(def)) {
        return Bad("enum '" + node.full_name + "' default '" + std::string(def) +
                   "' is not one of its symbols");
      }
      node.enum_default = std::string(def);
    }
    const std::string full = node.full_name;
    int index = schema_->AddNode(std::move(node));
    names_[full] = index;
    return index;
  }
  if (type_name == "fixed") {
    node.type = AvroType::kFixed;
    SLUICE_RETURN_IF_ERROR(ParseNamed(object, ns, &node, &own_ns));
    int64_t size = -1;
    if (object["size"].get_int64().get(size) || size < 0 || size > (1 << 30)) {
      return Bad("fixed '" + node.full_name + "' needs a non-negative integer 'size'");
    }
    node.fixed_size = size;
    ApplyLogicalType(object, &node);
    const std::string full = node.full_name;
    int index = schema_->AddNode(std::move(node));
    names_[full] = index;
    return index;
  }
  if (type_name == "array" || type_name == "map") {
    node.type = type_name == "array" ? AvroType::kArray : AvroType::kMap;
    const char* key = type_name == "array" ? "items" : "values";
    dom::element inner;
    if (object[key].get(inner)) return Bad(std::string(type_name) + " without '" + key + "'");
    SLUICE_ASSIGN_OR_RETURN(node.items, ParseType(inner, ns, depth + 1));
    return schema_->AddNode(std::move(node));
  }
  // A named type referenced as {"type": "Name"}.
  return Named(type_name, ns);
}

// ---- writing -----------------------------------------------------------------------------------

class SchemaWriter {
 public:
  explicit SchemaWriter(const AvroSchema& schema) : schema_(schema) {}
  void Write(int index, const std::string& ns, std::string* out);

 private:
  const AvroSchema& schema_;
  std::set<int> written_;
};

void AppendString(std::string_view s, std::string* out) {
  AppendJsonString(s, out);
}

void SchemaWriter::Write(int index, const std::string& ns, std::string* out) {
  const AvroNode& node = schema_.node(index);
  if (node.is_named() && written_.count(index)) {
    // A later use: the name, relative to the enclosing namespace when it lies in it.
    size_t dot = node.full_name.rfind('.');
    std::string node_ns = dot == std::string::npos ? "" : node.full_name.substr(0, dot);
    AppendString(node_ns == ns ? std::string(node.short_name()) : node.full_name, out);
    return;
  }
  switch (node.type) {
    case AvroType::kUnion: {
      out->push_back('[');
      for (size_t i = 0; i < node.branches.size(); ++i) {
        if (i) out->push_back(',');
        Write(node.branches[i], ns, out);
      }
      out->push_back(']');
      return;
    }
    case AvroType::kArray:
    case AvroType::kMap:
      out->append(node.type == AvroType::kArray ? R"({"type":"array","items":)"
                                                : R"({"type":"map","values":)");
      Write(node.items, ns, out);
      out->push_back('}');
      return;
    case AvroType::kRecord:
    case AvroType::kEnum:
    case AvroType::kFixed: {
      written_.insert(index);
      size_t dot = node.full_name.rfind('.');
      std::string node_ns = dot == std::string::npos ? "" : node.full_name.substr(0, dot);
      out->append(R"({"type":)");
      AppendString(AvroTypeName(node.type), out);
      out->append(R"(,"name":)");
      AppendString(node.short_name(), out);
      if (node_ns != ns) {
        out->append(R"(,"namespace":)");
        AppendString(node_ns, out);
      }
      if (node.type == AvroType::kRecord) {
        out->append(R"(,"fields":[)");
        for (size_t i = 0; i < node.fields.size(); ++i) {
          const AvroField& f = node.fields[i];
          if (i) out->push_back(',');
          out->append(R"({"name":)");
          AppendString(f.name, out);
          out->append(R"(,"type":)");
          Write(f.type, node_ns, out);
          if (f.has_default()) {
            out->append(R"(,"default":)");
            out->append(f.default_json);
          }
          out->push_back('}');
        }
        out->push_back(']');
      } else if (node.type == AvroType::kEnum) {
        out->append(R"(,"symbols":[)");
        for (size_t i = 0; i < node.symbols.size(); ++i) {
          if (i) out->push_back(',');
          AppendString(node.symbols[i], out);
        }
        out->push_back(']');
        if (!node.enum_default.empty()) {
          out->append(R"(,"default":)");
          AppendString(node.enum_default, out);
        }
      } else {
        out->append(R"(,"size":)" + std::to_string(node.fixed_size));
      }
      break;
    }
    default:
      if (node.logical == AvroLogicalType::kNone) {
        AppendString(AvroTypeName(node.type), out);
        return;
      }
      out->append(R"({"type":)");
      AppendString(AvroTypeName(node.type), out);
      break;
  }
  if (node.logical != AvroLogicalType::kNone) {
    out->append(R"(,"logicalType":)");
    AppendString(AvroLogicalTypeName(node.logical), out);
    if (node.logical == AvroLogicalType::kDecimal) {
      out->append(R"(,"precision":)" + std::to_string(node.precision) + R"(,"scale":)" +
                  std::to_string(node.scale));
    }
  }
  out->push_back('}');
}

}  // namespace

Result<AvroSchema> AvroSchema::Parse(std::string_view json) {
  dom::parser parser;
  dom::element root;
  simdjson::error_code error = parser.parse(json.data(), json.size(), true).get(root);
  if (error) {
    return Status::InvalidArgument(std::string("invalid Avro schema: not JSON (") +
                                   simdjson::error_message(error) + ")");
  }
  AvroSchema schema;
  SchemaParser p(&schema);
  SLUICE_ASSIGN_OR_RETURN(schema.root_, p.ParseType(root, "", 0));
  return schema;
}

std::string AvroSchema::ToJson() const {
  std::string out;
  SchemaWriter writer(*this);
  writer.Write(root_, "", &out);
  return out;
}

std::string AvroSchema::Describe(int index) const {
  const AvroNode& node = nodes_[index];
  std::string out;
  switch (node.type) {
    case AvroType::kUnion:
      out = "[";
      for (size_t i = 0; i < node.branches.size(); ++i) {
        if (i) out += ", ";
        out += Describe(node.branches[i]);
      }
      return out + "]";
    case AvroType::kArray:
      return "array";
    case AvroType::kMap:
      return "map";
    case AvroType::kRecord:
    case AvroType::kEnum:
    case AvroType::kFixed:
      out = std::string(AvroTypeName(node.type)) + " " + node.full_name;
      break;
    default:
      out = std::string(AvroTypeName(node.type));
  }
  if (node.logical != AvroLogicalType::kNone) {
    out += " (" + std::string(AvroLogicalTypeName(node.logical));
    if (node.logical == AvroLogicalType::kDecimal) {
      out += "(" + std::to_string(node.precision) + ", " + std::to_string(node.scale) + ")";
    }
    out += ")";
  }
  return out;
}

Result<AvroSchema> AvroSchemaFromTable(const Schema& schema, bool legacy_timestamp_mapping) {
  AvroSchema out;
  AvroNode record;
  record.type = AvroType::kRecord;
  record.full_name = std::string(kFlinkAvroRecordName);
  int null_index = -1;
  for (const Field& column : schema.fields) {
    AvroNode value;
    switch (column.type.id) {
      case TypeId::kBoolean:
        value.type = AvroType::kBoolean;
        break;
      case TypeId::kInt:
        value.type = AvroType::kInt;
        break;
      case TypeId::kBigint:
        value.type = AvroType::kLong;
        break;
      case TypeId::kDouble:
        value.type = AvroType::kDouble;
        break;
      case TypeId::kVarchar:
        value.type = AvroType::kString;
        break;
      case TypeId::kDecimal:
        value.type = AvroType::kBytes;
        value.logical = AvroLogicalType::kDecimal;
        value.precision = column.type.precision;
        value.scale = column.type.scale;
        break;
      case TypeId::kDate:
        value.type = AvroType::kInt;
        value.logical = AvroLogicalType::kDate;
        break;
      case TypeId::kTimestamp:
        value.type = AvroType::kLong;
        if (legacy_timestamp_mapping) {
          value.logical = column.type.precision <= 3 ? AvroLogicalType::kTimestampMillis
                                                     : AvroLogicalType::kTimestampMicros;
        } else {
          value.logical = column.type.precision <= 3 ? AvroLogicalType::kLocalTimestampMillis
                                                     : AvroLogicalType::kLocalTimestampMicros;
        }
        break;
      case TypeId::kTimestampLtz:
        value.type = AvroType::kLong;
        value.logical = column.type.precision <= 3 ? AvroLogicalType::kTimestampMillis
                                                   : AvroLogicalType::kTimestampMicros;
        break;
      case TypeId::kNull:
      case TypeId::kInterval:
        return Status::Unsupported("the Avro formats cannot map column '" + column.name +
                                   "' of type " + column.type.ToString() + " to an Avro type");
    }
    AvroField field;
    field.name = column.name;
    if (!IsValidName(field.name)) {
      return Status::Unsupported("column name '" + column.name +
                                 "' is not a valid Avro field name ([A-Za-z_][A-Za-z0-9_]*)");
    }
    int value_index = out.AddNode(std::move(value));
    if (column.nullable) {
      if (null_index < 0) null_index = out.AddNode(AvroNode{});
      AvroNode u;
      u.type = AvroType::kUnion;
      u.branches = {null_index, value_index};
      field.type = out.AddNode(std::move(u));
      field.default_json = "null";
    } else {
      field.type = value_index;
    }
    record.fields.push_back(std::move(field));
  }
  out.set_root(out.AddNode(std::move(record)));
  return out;
}

int AvroTimestampUnit(AvroLogicalType type) {
  switch (type) {
    case AvroLogicalType::kTimestampMillis:
    case AvroLogicalType::kLocalTimestampMillis:
      return 0;
    case AvroLogicalType::kTimestampMicros:
    case AvroLogicalType::kLocalTimestampMicros:
      return 1;
    case AvroLogicalType::kTimestampNanos:
    case AvroLogicalType::kLocalTimestampNanos:
      return 2;
    default:
      return -1;
  }
}

}  // namespace sluice
