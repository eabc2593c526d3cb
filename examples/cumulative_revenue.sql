-- Revenue so far today, updated every hour (CUMULATE window TVF), into DuckDB.

CREATE TABLE orders (
    order_id    STRING,
    customer_id STRING,
    amount      DOUBLE,
    status      STRING,
    event_time  TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
    'connector' = 'orders',
    'number-of-rows' = '200000',
    'rows-per-second' = 'unlimited',
    'orders.events-per-second-of-event-time' = '1'
);

CREATE TABLE revenue_so_far (
    day_start  TIMESTAMP(3),
    as_of      TIMESTAMP(3),
    orders     BIGINT,
    revenue    DOUBLE
) WITH (
    'connector' = 'duckdb',
    'path' = 'out/warehouse.duckdb',
    'table-name' = 'revenue_so_far'
);

INSERT INTO revenue_so_far
SELECT window_start, window_end, COUNT(*), SUM(amount)
FROM TABLE(CUMULATE(TABLE orders, DESCRIPTOR(event_time), INTERVAL '1' HOUR, INTERVAL '1' DAY))
WHERE status = 'completed'
GROUP BY window_start, window_end;
