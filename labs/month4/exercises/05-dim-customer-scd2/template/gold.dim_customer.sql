-- 05 · gold.dim_customer: a type-2 slowly changing dimension
--
-- Marketing asks: "revenue by segment, per month". A customer who moved from 'consumer' to 'vip'
-- in June must count as consumer for her orders before June and as vip after. So the dimension
-- keeps every VERSION of a customer (type 2), each valid for a period of time, and the fact table
-- (exercise 08) joins each order to the version valid when it was placed.
--
-- Read silver.customers (exercise 04: one row per customer_id and updated_at, deduplicated).
--
-- The mess:
--   * ~8% of customers have two versions (a new email, often a new segment): keep both;
--   * a version is valid from its updated_at until the next version's updated_at, of the SAME
--     customer; the latest version is open-ended (valid_to NULL) and is the current one;
--   * downstream joins on a surrogate key, which must come out the same on every rebuild.
--
-- Columns: customer_key BIGINT (row_number() OVER (ORDER BY customer_id, valid_from)),
-- customer_id BIGINT, email VARCHAR, country VARCHAR, segment VARCHAR,
-- valid_from TIMESTAMP (the version's updated_at), valid_to TIMESTAMP (the next version's
-- valid_from; NULL on the current one), is_current BOOLEAN.
--
-- Build it: lab run month4 gold.dim_customer     Check it: lab check month4 05     Stuck? lab hint month4 05

-- Starter: what the customer service's own table knows, the present (type 1: overwrite).
WITH latest AS (
  SELECT * FROM silver.customers
  QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY updated_at DESC) = 1
)
SELECT
  row_number() OVER (ORDER BY customer_id) AS customer_key,
  customer_id,
  email,
  country,
  segment,
  updated_at AS valid_from,
  NULL::TIMESTAMP AS valid_to,
  true AS is_current
FROM latest
