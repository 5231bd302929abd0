// The datagen plugin: a source of deterministic numbered records and a sink that checks them.
#include <kanal/kanal.hpp>

#include "connectors/datagen/datagen_sink.h"
#include "connectors/datagen/datagen_source.h"

KANAL_EXPORT_PLUGIN(
    "datagen", KANAL_CONNECTOR_VERSION,
    kanal::source_connector<kanal::connectors::DatagenSourceConnector,
                            kanal::connectors::DatagenSourceTask>(
        "dev.kanal.connect.datagen.DatagenSourceConnector")
        .task_class("dev.kanal.connect.datagen.DatagenSourceTask")
        .doc("Produces deterministic numbered records at a configured rate, size and key spread"),
    kanal::sink_connector<kanal::connectors::DatagenSinkConnector,
                          kanal::connectors::DatagenSinkTask>(
        "dev.kanal.connect.datagen.DatagenSinkConnector")
        .task_class("dev.kanal.connect.datagen.DatagenSinkTask")
        .doc("Counts records of a DatagenSource and reports duplicates, gaps and reordering"))
