-- 04 · silver.customers: typed, deduplicated, every version kept
--
-- bronze.customers holds the daily CSV drops of the customer service: one row for every customer
-- record that changed that day, all columns as text, with the drop day `dt` and the `file`.
-- Build the silver table the customer dimension (exercise 05) is made from: one row per VERSION
-- of a customer, typed and clean. Keep every version: a customer who changed their email or
-- segment has two rows, and that history is the point.
--
-- The mess:
--   * some rows were exported twice: the same customer, the same updated_at, the same values;
--   * ~3% of customers have no country: the CSV field is empty, which DuckDB reads as NULL;
--   * every column is VARCHAR (signup_date '2023-05-17', updated_at '2024-04-17 08:01:53');
--   * emails are typed by people: compare and store them lower-cased and trimmed.
--
-- Columns: customer_id BIGINT, email VARCHAR (lower-cased, trimmed), full_name VARCHAR,
-- country VARCHAR ('unknown' when empty or NULL), city VARCHAR, signup_date DATE,
-- segment VARCHAR, updated_at TIMESTAMP (no time zone: the service writes UTC wall-clock time).
-- One row per (customer_id, updated_at).
--
-- Build it: lab run month4 silver.customers     Check it: lab check month4 04     Stuck? lab hint month4 04

-- Starter: every CSV row typed as it comes, duplicates and missing countries included.
SELECT
  customer_id::BIGINT AS customer_id,
  email,
  full_name,
  country,
  city,
  signup_date::DATE AS signup_date,
  segment,
  updated_at::TIMESTAMP AS updated_at
FROM bronze.customers
