-- An updating result: totals per customer, kept current in DuckDB by primary key (a CQRS read
-- model). Each change upserts the customer's row.

CREATE TABLE orders (
    order_id    STRING,
    customer_id STRING,
    amount      DOUBLE,
    status      STRING,
    event_time  TIMESTAMP(3)
) WITH (
    'connector' = 'orders',
    'number-of-rows' = '100000',
    'rows-per-second' = 'unlimited'
);

CREATE TABLE customer_totals (
    customer_id STRING,
    orders      BIGINT,
    spent       DOUBLE,
    biggest     DOUBLE,
    PRIMARY KEY (customer_id) NOT ENFORCED
) WITH (
    'connector' = 'duckdb',
    'path' = 'out/warehouse.duckdb',
    'table-name' = 'customer_totals'
);

INSERT INTO customer_totals
SELECT customer_id, COUNT(*), SUM(amount), MAX(amount)
FROM orders
WHERE status <> 'cancelled'
GROUP BY customer_id;
