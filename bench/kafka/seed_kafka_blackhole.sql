-- The seed's job over Kafka (bench/kafka/seed_throughput.sh fills in @TOPIC@, @REGISTRY@,
-- @GROUP@): avro-confluent through the registry, bounded at the offsets present at start.
CREATE TABLE orders_kafka (
    order_id    STRING,
    customer_id STRING,
    amount      DOUBLE,
    status      STRING,
    `timestamp` BIGINT,
    event_time  AS TO_TIMESTAMP_LTZ(`timestamp`, 3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
    'connector'                    = 'kafka',
    'topic'                        = '@TOPIC@',
    'properties.bootstrap.servers' = '127.0.0.1:9092',
    'properties.group.id'          = '@GROUP@',
    'format'                       = 'avro-confluent',
    'avro-confluent.url'           = '@REGISTRY@',
    'scan.startup.mode'            = 'earliest-offset',
    'scan.bounded.mode'            = 'latest-offset'
);

CREATE TABLE orders_summary_sink (
    window_start    TIMESTAMP_LTZ(3),
    window_end      TIMESTAMP_LTZ(3),
    total_orders    BIGINT,
    total_revenue   DOUBLE,
    avg_order_value DOUBLE
) WITH ('connector' = 'blackhole');

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
