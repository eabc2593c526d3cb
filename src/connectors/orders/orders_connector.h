#pragma once
// 'connector' = 'orders': order events for event-time pipelines (orders_options.h for the
// options, order_generator.h for the columns it fills, orders_source.h for splits).

#include "connectors/connector.h"

namespace sluice {

extern const ConnectorSpec kOrdersConnector;

}  // namespace sluice
