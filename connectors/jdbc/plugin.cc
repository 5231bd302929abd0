// The jdbc plugin: JdbcSourceConnector and JdbcSinkConnector for SQLite and PostgreSQL.
#include <kanal/kanal.hpp>

#include "connectors/jdbc/jdbc_sink.h"
#include "connectors/jdbc/jdbc_source.h"

KANAL_EXPORT_PLUGIN(
    "jdbc", KANAL_CONNECTOR_VERSION,
    kanal::source_connector<kanal::jdbc::JdbcSourceConnector, kanal::jdbc::JdbcSourceTask>(
        "dev.kanal.connect.jdbc.JdbcSourceConnector")
        .doc("Copies tables or a query of SQLite or PostgreSQL into Kafka (bulk, incrementing, "
             "timestamp, timestamp+incrementing)"),
    kanal::sink_connector<kanal::jdbc::JdbcSinkConnector, kanal::jdbc::JdbcSinkTask>(
        "dev.kanal.connect.jdbc.JdbcSinkConnector")
        .doc("Writes records into SQLite or PostgreSQL tables (insert, upsert, update, delete)"))
