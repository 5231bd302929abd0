#include "connectors/jdbc/jdbc_data.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "connectors/jdbc/value_codec.h"

namespace kanal::jdbc {
namespace {

[[noreturn]] void bad_cell(std::string_view column, std::string_view what, const Cell& cell) {
  throw kanal::Error("column '" + std::string(column) + "': cannot read " + std::string(what) +
                     " from '" + cell.s + "'");
}

int64_t as_integer(const Cell& c, std::string_view column) {
  switch (c.kind) {
    case Cell::Kind::kInt:
      return c.i;
    case Cell::Kind::kReal:
      return static_cast<int64_t>(c.d);
    default: {
      char* stop = nullptr;
      long long v = std::strtoll(c.s.c_str(), &stop, 10);
      if (c.s.empty() || *stop != '\0') bad_cell(column, "an integer", c);
      return v;
    }
  }
}

double as_real(const Cell& c, std::string_view column) {
  switch (c.kind) {
    case Cell::Kind::kInt:
      return static_cast<double>(c.i);
    case Cell::Kind::kReal:
      return c.d;
    default: {
      char* stop = nullptr;
      double v = std::strtod(c.s.c_str(), &stop);
      if (c.s.empty() || *stop != '\0') bad_cell(column, "a number", c);
      return v;
    }
  }
}

std::string as_text(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::kInt:
      return std::to_string(c.i);
    case Cell::Kind::kReal: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", c.d);
      return buf;
    }
    default:
      return c.s;
  }
}

}  // namespace

kanal::Schema schema_for(const ConnectType& type, bool optional) {
  kanal::SchemaBuilder b = [&] {
    switch (type.kind) {
      case SqlKind::kInt8:
        return kanal::SchemaBuilder::int8();
      case SqlKind::kInt16:
        return kanal::SchemaBuilder::int16();
      case SqlKind::kInt32:
        return kanal::SchemaBuilder::int32();
      case SqlKind::kInt64:
        return kanal::SchemaBuilder::int64();
      case SqlKind::kFloat32:
        return kanal::SchemaBuilder::float32();
      case SqlKind::kFloat64:
        return kanal::SchemaBuilder::float64();
      case SqlKind::kBoolean:
        return kanal::SchemaBuilder::boolean();
      case SqlKind::kString:
        return kanal::SchemaBuilder::string();
      case SqlKind::kBytes:
        return kanal::SchemaBuilder::bytes();
      case SqlKind::kDecimal:
        return kanal::logical::decimal(type.scale);
      case SqlKind::kDate:
        return kanal::logical::date();
      case SqlKind::kTime:
        return kanal::logical::time();
      case SqlKind::kTimestamp:
        return kanal::logical::timestamp();
    }
    return kanal::SchemaBuilder::string();
  }();
  if (optional) b.optional();
  return b.build();
}

kanal::Value value_for(const ConnectType& type, const Cell& cell, std::string_view column) {
  if (cell.is_null()) return kanal::Value::null();
  switch (type.kind) {
    case SqlKind::kInt8:
      return kanal::Value::int8(static_cast<int8_t>(as_integer(cell, column)));
    case SqlKind::kInt16:
      return kanal::Value::int16(static_cast<int16_t>(as_integer(cell, column)));
    case SqlKind::kInt32:
      return kanal::Value::int32(static_cast<int32_t>(as_integer(cell, column)));
    case SqlKind::kInt64:
      return kanal::Value::int64(as_integer(cell, column));
    case SqlKind::kFloat32:
      return kanal::Value::float32(static_cast<float>(as_real(cell, column)));
    case SqlKind::kFloat64:
      return kanal::Value::float64(as_real(cell, column));
    case SqlKind::kBoolean:
      if (cell.kind == Cell::Kind::kText) {
        return kanal::Value::boolean(cell.s == "t" || cell.s == "true" || cell.s == "1" ||
                                     cell.s == "TRUE");
      }
      return kanal::Value::boolean(as_integer(cell, column) != 0);
    case SqlKind::kString:
      return kanal::Value::string(as_text(cell));
    case SqlKind::kBytes:
      return kanal::Value::bytes(cell.kind == Cell::Kind::kBlob ? cell.s : as_text(cell));
    case SqlKind::kDecimal: {
      std::string text;
      if (cell.kind == Cell::Kind::kReal) {
        char buf[128];
        std::snprintf(buf, sizeof buf, "%.*f", type.scale, cell.d);
        text = buf;
      } else {
        text = as_text(cell);
      }
      auto bytes = decimal_text_to_unscaled(text, type.scale);
      if (!bytes) bad_cell(column, "a decimal", cell);
      return kanal::Value::bytes(*bytes);
    }
    case SqlKind::kDate: {
      auto d = parse_date(cell.s);
      if (cell.kind != Cell::Kind::kText || !d) bad_cell(column, "a date", cell);
      return kanal::Value::int32(*d);
    }
    case SqlKind::kTime: {
      auto t = parse_time(cell.s);
      if (cell.kind != Cell::Kind::kText || !t) bad_cell(column, "a time", cell);
      return kanal::Value::int32(*t);
    }
    case SqlKind::kTimestamp: {
      if (cell.kind == Cell::Kind::kInt) return kanal::Value::int64(cell.i);  // epoch ms
      auto ts = parse_timestamp(cell.s);
      if (!ts) bad_cell(column, "a timestamp", cell);
      return kanal::Value::int64(timestamp_millis(*ts));
    }
  }
  return kanal::Value::null();
}

std::optional<ConnectType> connect_type_of(const kanal::Schema& schema) {
  std::string_view name = schema.name();
  if (name == kanal::logical::kDecimalName) {
    auto scale = schema.parameter("scale");
    return ConnectType{SqlKind::kDecimal,
                       scale ? static_cast<int32_t>(std::atoi(std::string(*scale).c_str())) : 0};
  }
  if (name == kanal::logical::kDateName) return ConnectType{SqlKind::kDate};
  if (name == kanal::logical::kTimeName) return ConnectType{SqlKind::kTime};
  if (name == kanal::logical::kTimestampName) return ConnectType{SqlKind::kTimestamp};
  switch (schema.type()) {
    case kanal::Type::kInt8:
      return ConnectType{SqlKind::kInt8};
    case kanal::Type::kInt16:
      return ConnectType{SqlKind::kInt16};
    case kanal::Type::kInt32:
      return ConnectType{SqlKind::kInt32};
    case kanal::Type::kInt64:
      return ConnectType{SqlKind::kInt64};
    case kanal::Type::kFloat32:
      return ConnectType{SqlKind::kFloat32};
    case kanal::Type::kFloat64:
      return ConnectType{SqlKind::kFloat64};
    case kanal::Type::kBoolean:
      return ConnectType{SqlKind::kBoolean};
    case kanal::Type::kString:
      return ConnectType{SqlKind::kString};
    case kanal::Type::kBytes:
      return ConnectType{SqlKind::kBytes};
    default:
      return std::nullopt;
  }
}

Cell cell_for(DbKind db, const ConnectType& type, kanal::ValueView value) {
  if (value.is_null()) return Cell::null();
  switch (type.kind) {
    case SqlKind::kInt8:
    case SqlKind::kInt16:
    case SqlKind::kInt32:
    case SqlKind::kInt64:
      return Cell::integer(value.as_int64());
    case SqlKind::kFloat32:
    case SqlKind::kFloat64:
      return Cell::real(value.as_double());
    case SqlKind::kBoolean:
      if (db == DbKind::kPostgres) return Cell::text(value.as_bool() ? "true" : "false");
      return Cell::integer(value.as_bool() ? 1 : 0);
    case SqlKind::kString:
      return Cell::text(std::string(value.as_string()));
    case SqlKind::kBytes:
      return Cell::blob(std::string(value.as_bytes()));
    case SqlKind::kDecimal:
      return Cell::text(unscaled_to_decimal_text(value.as_bytes(), type.scale));
    case SqlKind::kDate:
      return Cell::text(format_date(value.as_int32()));
    case SqlKind::kTime:
      return Cell::text(format_time(value.as_int32()));
    case SqlKind::kTimestamp:
      return Cell::text(format_timestamp(value.as_int64() * 1000000, 3));
  }
  return Cell::null();
}

}  // namespace kanal::jdbc
