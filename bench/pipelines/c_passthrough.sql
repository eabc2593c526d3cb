-- c: pass-through datagen -> blackhole, every column: the decode-free upper bound.
-- Same source as a1/a2 (computed event_time and watermark included), so a1 - c is the
-- cost of the filter and the window. Both engines.

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

CREATE TABLE order_copy (
  order_id    BIGINT,
  customer_id BIGINT,
  amount      DOUBLE,
  status      INT,
  event_time  TIMESTAMP_LTZ(3)
) WITH ('connector' = 'blackhole');

INSERT INTO order_copy SELECT order_id, customer_id, amount, status, event_time FROM orders;
