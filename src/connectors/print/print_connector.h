#pragma once
// 'connector' = 'print': rows to standard output in Flink's print format (print_sink.h).
//
//   print-identifier  Default: none. Prefix of every line.
//   standard-error    Default: false. Print to standard error instead.

#include "connectors/connector.h"

namespace sluice {

extern const ConnectorSpec kPrintConnector;

}  // namespace sluice
