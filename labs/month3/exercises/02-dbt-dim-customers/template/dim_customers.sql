-- models/marts/dim_customers.sql
-- The customer dimension every fact joins to: one row per customer, from stg_customers, with
-- columns customer_key (the customer_id), customer_id, email, full_name, country, segment;
-- and one more row, the unknown member, for facts whose customer is in no row (a guest):
-- customer_key -1, customer_id NULL, email NULL, full_name 'unknown customer', country and
-- segment 'unknown'. Look at dim_products.sql in the project: it does the same for products.
select customer_id, email, full_name, country, segment
from {{ ref('stg_customers') }}
