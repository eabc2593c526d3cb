#include "formats/avro/avro_binary.h"

#include <simdjson.h>

#include <cmath>

namespace sluice {

using uint128_t = unsigned __int128;

int128_t Pow10I128(int n) {
  static const auto kTable = [] {
    struct Table {
      int128_t v[39];
    } t;
    t.v[0] = 1;
    for (int i = 1; i <= 38; ++i) t.v[i] = t.v[i - 1] * 10;
    return t;
  }();
  return kTable.v[n];
}

bool DecimalFitsPrecision(int128_t v, int precision) {
  if (precision >= 39) return true;
  int128_t limit = Pow10I128(precision);
  return v < limit && v > -limit;
}

bool RescaleDecimal(int128_t v, int from, int to, int128_t* out) {
  if (from == to) {
    *out = v;
    return true;
  }
  if (to > from) {
    int diff = to - from;
    if (diff > 38) {
      if (v != 0) return false;
      *out = 0;
      return true;
    }
    int128_t result;
    if (__builtin_mul_overflow(v, Pow10I128(diff), &result)) return false;
    if (!DecimalFitsPrecision(result, 38)) return false;
    *out = result;
    return true;
  }
  int diff = from - to;
  if (diff > 38) {
    *out = 0;
    return true;
  }
  int128_t divisor = Pow10I128(diff);
  int128_t q = v / divisor;
  int128_t r = v % divisor;
  int128_t abs_r = r < 0 ? -r : r;
  if (abs_r * 2 >= divisor) q += v < 0 ? -1 : 1;  // half-up, away from zero
  *out = q;
  return true;
}

void AppendDecimalBytes(int128_t unscaled, std::string* out) {
  uint8_t bytes[16];
  uint128_t u = static_cast<uint128_t>(unscaled);
  for (int i = 15; i >= 0; --i) {
    bytes[i] = static_cast<uint8_t>(u);
    u >>= 8;
  }
  // Drop leading bytes that only repeat the sign.
  int start = 0;
  while (start < 15) {
    if (bytes[start] == 0x00 && (bytes[start + 1] & 0x80) == 0) {
      ++start;
    } else if (bytes[start] == 0xff && (bytes[start + 1] & 0x80) != 0) {
      ++start;
    } else {
      break;
    }
  }
  AppendAvroLong(16 - start, out);
  out->append(reinterpret_cast<const char*>(bytes + start), 16 - start);
}

bool AppendDecimalFixed(int128_t unscaled, size_t size, std::string* out) {
  uint8_t bytes[16];
  uint128_t u = static_cast<uint128_t>(unscaled);
  for (int i = 15; i >= 0; --i) {
    bytes[i] = static_cast<uint8_t>(u);
    u >>= 8;
  }
  const char fill = unscaled < 0 ? '\xff' : '\0';
  if (size >= 16) {
    out->append(size - 16, fill);
    out->append(reinterpret_cast<const char*>(bytes), 16);
    return true;
  }
  // The dropped bytes must be sign extension, and the kept top bit must carry the sign.
  for (size_t i = 0; i < 16 - size; ++i) {
    if (bytes[i] != static_cast<uint8_t>(fill)) return false;
  }
  if (size == 0) return unscaled == 0;
  if (((bytes[16 - size] & 0x80) != 0) != (unscaled < 0)) return false;
  out->append(reinterpret_cast<const char*>(bytes + 16 - size), size);
  return true;
}

bool DecimalFromBytes(const uint8_t* bytes, size_t size, int128_t* out) {
  if (size == 0) {
    *out = 0;
    return true;
  }
  const bool negative = (bytes[0] & 0x80) != 0;
  size_t start = 0;
  if (size > 16) {
    // Longer than 16 bytes: the extra leading bytes must be sign extension.
    for (; start < size - 16; ++start) {
      if (bytes[start] != (negative ? 0xff : 0x00)) return false;
    }
    if (((bytes[start] & 0x80) != 0) != negative) return false;
  }
  uint128_t u = negative ? ~static_cast<uint128_t>(0) : 0;
  for (size_t i = start; i < size; ++i) u = (u << 8) | bytes[i];
  *out = static_cast<int128_t>(u);
  return true;
}

namespace {

namespace dom = simdjson::dom;

Status BadDefault(const AvroSchema& schema, int node, std::string_view json) {
  return Status::InvalidArgument("default value " + std::string(json.substr(0, 60)) +
                                 " does not match Avro type " + schema.Describe(node));
}

// A JSON string whose code points are 0-255 -> those bytes (Avro's bytes/fixed defaults).
bool Latin1Bytes(std::string_view utf8, std::string* out) {
  for (size_t i = 0; i < utf8.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out->push_back(static_cast<char>(c));
    } else if ((c & 0xe0) == 0xc0 && i + 1 < utf8.size()) {
      unsigned cp = ((c & 0x1f) << 6) | (static_cast<unsigned char>(utf8[i + 1]) & 0x3f);
      if (cp > 0xff) return false;
      out->push_back(static_cast<char>(cp));
      ++i;
    } else {
      return false;
    }
  }
  return true;
}

Status EncodeElement(const AvroSchema& schema, int index, dom::element e, int depth,
                     std::string* out) {
  const AvroNode& node = schema.node(index);
  auto bad = [&] { return BadDefault(schema, index, simdjson::minify(e)); };
  if (depth > 100) return bad();
  switch (node.type) {
    case AvroType::kNull:
      if (!e.is_null()) return bad();
      return Status::OK();
    case AvroType::kBoolean: {
      bool b;
      if (e.get_bool().get(b)) return bad();
      out->push_back(b ? 1 : 0);
      return Status::OK();
    }
    case AvroType::kInt:
    case AvroType::kLong: {
      int64_t v;
      if (e.get_int64().get(v)) {
        double d;  // 1.0 is accepted for an int, as Jackson's long value of a double node
        if (e.get_double().get(d) || d != std::floor(d) || std::abs(d) > 9.2e18) return bad();
        v = static_cast<int64_t>(d);
      }
      if (node.type == AvroType::kInt && (v < INT32_MIN || v > INT32_MAX)) return bad();
      AppendAvroLong(v, out);
      return Status::OK();
    }
    case AvroType::kFloat:
    case AvroType::kDouble: {
      double d;
      if (e.get_double().get(d)) {
        std::string_view s;  // "NaN", "Infinity" as strings
        if (e.get_string().get(s)) return bad();
        if (s == "NaN") {
          d = std::nan("");
        } else if (s == "Infinity") {
          d = INFINITY;
        } else if (s == "-Infinity") {
          d = -INFINITY;
        } else {
          return bad();
        }
      }
      if (node.type == AvroType::kFloat) {
        AppendAvroFloat(static_cast<float>(d), out);
      } else {
        AppendAvroDouble(d, out);
      }
      return Status::OK();
    }
    case AvroType::kString: {
      std::string_view s;
      if (e.get_string().get(s)) return bad();
      AppendAvroBytes(s, out);
      return Status::OK();
    }
    case AvroType::kBytes:
    case AvroType::kFixed: {
      std::string_view s;
      if (e.get_string().get(s)) return bad();
      std::string bytes;
      if (!Latin1Bytes(s, &bytes)) return bad();
      if (node.type == AvroType::kFixed) {
        if (static_cast<int64_t>(bytes.size()) != node.fixed_size) return bad();
        out->append(bytes);
      } else {
        AppendAvroBytes(bytes, out);
      }
      return Status::OK();
    }
    case AvroType::kEnum: {
      std::string_view s;
      if (e.get_string().get(s)) return bad();
      for (size_t i = 0; i < node.symbols.size(); ++i) {
        if (node.symbols[i] == s) {
          AppendAvroLong(static_cast<int64_t>(i), out);
          return Status::OK();
        }
      }
      return bad();
    }
    case AvroType::kUnion:
      AppendAvroLong(0, out);
      return EncodeElement(schema, node.branches[0], e, depth + 1, out);
    case AvroType::kArray: {
      dom::array a;
      if (e.get_array().get(a)) return bad();
      size_t n = a.size();
      if (n) {
        AppendAvroLong(static_cast<int64_t>(n), out);
        for (dom::element item : a) {
          SLUICE_RETURN_IF_ERROR(EncodeElement(schema, node.items, item, depth + 1, out));
        }
      }
      AppendAvroLong(0, out);
      return Status::OK();
    }
    case AvroType::kMap: {
      dom::object o;
      if (e.get_object().get(o)) return bad();
      size_t n = o.size();
      if (n) {
        AppendAvroLong(static_cast<int64_t>(n), out);
        for (auto field : o) {
          AppendAvroBytes(field.key, out);
          SLUICE_RETURN_IF_ERROR(EncodeElement(schema, node.items, field.value, depth + 1, out));
        }
      }
      AppendAvroLong(0, out);
      return Status::OK();
    }
    case AvroType::kRecord: {
      dom::object o;
      if (e.get_object().get(o)) return bad();
      for (const AvroField& f : node.fields) {
        dom::element value;
        if (o[f.name].get(value) == simdjson::SUCCESS) {
          SLUICE_RETURN_IF_ERROR(EncodeElement(schema, f.type, value, depth + 1, out));
        } else if (f.has_default()) {
          SLUICE_RETURN_IF_ERROR(EncodeAvroDefault(schema, f.type, f.default_json, out));
        } else {
          return bad();
        }
      }
      return Status::OK();
    }
  }
  return bad();
}

}  // namespace

Status EncodeAvroDefault(const AvroSchema& schema, int node, std::string_view default_json,
                         std::string* out) {
  dom::parser parser;
  dom::element root;
  if (parser.parse(default_json.data(), default_json.size(), true).get(root)) {
    return Status::InvalidArgument("default value is not JSON: " +
                                   std::string(default_json.substr(0, 60)));
  }
  return EncodeElement(schema, node, root, 0, out);
}

}  // namespace sluice
