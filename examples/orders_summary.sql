-- The seed's job (Kafka -> Flink -> warehouse, shared/seeds/000 section 3) on embedded defaults:
-- the built-in order generator stands in for Kafka, an embedded DuckDB file for Snowflake.
-- Run:   sluice run examples/orders_summary.sql
-- Look:  sluice query out/warehouse.duckdb "SELECT * FROM orders_summary ORDER BY window_start"

SET 'pipeline.name' = 'orders-summary';

-- The seed's DDL, with the generator in place of the Kafka connector.
CREATE TABLE orders_kafka (
    order_id    STRING,
    customer_id STRING,
    amount      DOUBLE,
    status      STRING,
    event_time  TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
    'connector'                              = 'orders',
    'number-of-rows'                         = '1000000',
    'rows-per-second'                        = 'unlimited',
    'orders.events-per-second-of-event-time' = '500',
    'orders.max-out-of-orderness'            = '3 s',
    'orders.late-ratio'                      = '0.001',
    'orders.late-by'                         = '2 min'
);

CREATE TABLE orders_summary_sink (
    window_start    TIMESTAMP(3),
    window_end      TIMESTAMP(3),
    total_orders    BIGINT,
    total_revenue   DOUBLE,
    avg_order_value DOUBLE
) WITH (
    'connector'  = 'duckdb',
    'path'       = 'out/warehouse.duckdb',
    'table-name' = 'orders_summary'
);

-- The seed's query, unchanged.
INSERT INTO orders_summary_sink
SELECT
    TUMBLE_START(event_time, INTERVAL '1' MINUTE) AS window_start,
    TUMBLE_END(event_time,   INTERVAL '1' MINUTE) AS window_end,
    COUNT(*)   AS total_orders,
    SUM(amount) AS total_revenue,
    AVG(amount) AS avg_order_value
FROM orders_kafka
WHERE status = 'completed'
GROUP BY TUMBLE(event_time, INTERVAL '1' MINUTE);
