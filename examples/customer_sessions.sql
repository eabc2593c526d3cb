-- Shopping sessions: a customer's orders with less than 10 minutes between them form one
-- session (SESSION window TVF), stored in DuckDB.

CREATE TABLE orders (
    order_id    STRING,
    customer_id STRING,
    amount      DOUBLE,
    status      STRING,
    event_time  TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
    'connector' = 'orders',
    'number-of-rows' = '50000',
    'rows-per-second' = 'unlimited',
    'orders.customers' = '200',
    'orders.events-per-second-of-event-time' = '2'
);

CREATE TABLE sessions (
    customer_id   STRING,
    session_start TIMESTAMP(3),
    session_end   TIMESTAMP(3),
    orders        BIGINT,
    spent         DOUBLE
) WITH (
    'connector' = 'duckdb',
    'path' = 'out/warehouse.duckdb',
    'table-name' = 'customer_sessions'
);

INSERT INTO sessions
SELECT customer_id, window_start, window_end, COUNT(*), SUM(amount)
FROM TABLE(SESSION(TABLE orders PARTITION BY customer_id, DESCRIPTOR(event_time), INTERVAL '10' MINUTE))
GROUP BY customer_id, window_start, window_end;
