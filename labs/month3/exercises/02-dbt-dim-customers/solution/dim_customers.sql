-- models/marts/dim_customers.sql: the customer dimension, one row per customer, and the unknown member.
select
    customer_id as customer_key,
    customer_id,
    email,
    full_name,
    country,
    segment
from {{ ref('stg_customers') }}
union all
select -1, null, null, 'unknown customer', 'unknown', 'unknown'
