// Between database cells and Connect schemas/values (SDK side).
#pragma once

#include <kanal/kanal.hpp>
#include <optional>

#include "connectors/jdbc/database.h"
#include "connectors/jdbc/sql_builder.h"

namespace kanal::jdbc {

// The Connect schema of a column of `type`.
kanal::Schema schema_for(const ConnectType& type, bool optional);
// The Connect value of `cell` read from a column of `type`. Throws kanal::Error naming `column`
// when the cell does not convert (a date column holding "soon").
kanal::Value value_for(const ConnectType& type, const Cell& cell, std::string_view column);

// The ConnectType of a field schema; nullopt for types a column cannot hold (struct, map, ...).
std::optional<ConnectType> connect_type_of(const kanal::Schema& schema);
// The cell to bind for `value` of `type` in database `db`.
Cell cell_for(DbKind db, const ConnectType& type, kanal::ValueView value);

}  // namespace kanal::jdbc
