#pragma once
// 'connector' = 'datagen': generated rows, as Flink's datagen (options in datagen_options.h).

#include "connectors/connector.h"

namespace sluice {

extern const ConnectorSpec kDatagenConnector;

}  // namespace sluice
