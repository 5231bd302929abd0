// The file plugin: Kafka's FileStream connectors. The loader adds the simple-name aliases
// (FileStreamSource, FileStreamSourceConnector, FileStreamSink, FileStreamSinkConnector).
#include <kanal/kanal.hpp>

#include "connectors/file/file_sink.h"
#include "connectors/file/file_source.h"

KANAL_EXPORT_PLUGIN(
    "file", KANAL_CONNECTOR_VERSION,
    kanal::source_connector<kanal::connectors::FileStreamSourceConnector,
                            kanal::connectors::FileStreamSourceTask>(
        "org.apache.kafka.connect.file.FileStreamSourceConnector")
        .task_class("org.apache.kafka.connect.file.FileStreamSourceTask")
        .doc("Reads lines of a file (or standard input) into a Kafka topic"),
    kanal::sink_connector<kanal::connectors::FileStreamSinkConnector,
                          kanal::connectors::FileStreamSinkTask>(
        "org.apache.kafka.connect.file.FileStreamSinkConnector")
        .task_class("org.apache.kafka.connect.file.FileStreamSinkTask")
        .doc("Appends the values of Kafka records as lines to a file (or standard output)"))
