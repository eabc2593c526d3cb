-- Revenue over the last 5 minutes, refreshed every minute (HOP window TVF), per status,
-- printed as Flink's print sink does.

CREATE TABLE orders (
    order_id    STRING,
    customer_id STRING,
    amount      DOUBLE,
    status      STRING,
    event_time  TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
    'connector' = 'orders',
    'number-of-rows' = '20000',
    'rows-per-second' = 'unlimited',
    'orders.events-per-second-of-event-time' = '20'
);

SELECT window_start, window_end, status, COUNT(*) AS orders, ROUND(SUM(amount), 2) AS revenue
FROM TABLE(HOP(TABLE orders, DESCRIPTOR(event_time), INTERVAL '1' MINUTE, INTERVAL '5' MINUTE))
GROUP BY window_start, window_end, status;
