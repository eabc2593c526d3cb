-- a1: datagen -> WHERE status = 1 -> TUMBLE 1 min COUNT/SUM/AVG per window -> blackhole.
-- The seed's query (window TVF form), both engines.

-- The order-like source shared by every benchmark pipeline (same text in each file).
-- {{ROWS}} and {{LAST_ID}} (= ROWS - 1) are filled in by bench/run.sh (bench/render.sh).
-- event_time is derived from the sequence (order i happens at i ms after the epoch), so event
-- time and watermarks advance the same, deterministic way in every engine: 60 000 orders per
-- 1-minute window. Flink's datagen needs rows-per-second set high to run unthrottled.
CREATE TABLE orders (
  order_id    BIGINT,
  customer_id BIGINT,
  amount      DOUBLE,
  status      INT,
  event_time AS TO_TIMESTAMP_LTZ(order_id, 3),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
  'connector' = 'datagen',
  'number-of-rows' = '{{ROWS}}',
  'rows-per-second' = '1000000000',
  'fields.order_id.kind' = 'sequence',
  'fields.order_id.start' = '0',
  'fields.order_id.end' = '{{LAST_ID}}',
  'fields.customer_id.min' = '1',
  'fields.customer_id.max' = '1000',
  'fields.amount.min' = '1',
  'fields.amount.max' = '500',
  'fields.status.min' = '0',
  'fields.status.max' = '3'
);

CREATE TABLE order_windows (
  window_start    TIMESTAMP(3),
  window_end      TIMESTAMP(3),
  total_orders    BIGINT,
  total_revenue   DOUBLE,
  avg_order_value DOUBLE
) WITH ('connector' = 'blackhole');

INSERT INTO order_windows
SELECT window_start, window_end, COUNT(*), SUM(amount), AVG(amount)
FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
WHERE status = 1
GROUP BY window_start, window_end;
