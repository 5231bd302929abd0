// kanal C++ SDK: everything a C++ plugin includes. A header-only layer over the C ABI in
// <kanal/kanal.h>; builds as C++17 and C++20. See docs/plugin-guide.md.
//
//   data.hpp    Schema, SchemaBuilder, Value, ValueView, Struct, records, errors
//   config.hpp  Config, ConfigDef
//   plugin.hpp  Connector/Task/Transformation/Predicate/Converter bases, KANAL_EXPORT_PLUGIN
#pragma once

#include <kanal/kanal.h>

#include <kanal/config.hpp>
#include <kanal/data.hpp>
#include <kanal/plugin.hpp>
