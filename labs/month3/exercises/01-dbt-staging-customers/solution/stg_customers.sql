-- models/staging/stg_customers.sql: one row per customer, its newest version, spelled one way.
select
    customer_id,
    lower(trim(email)) as email,
    full_name,
    upper(trim(country)) as country,
    segment,
    updated_at
from {{ source('shop', 'customers') }}
qualify row_number() over (partition by customer_id order by updated_at desc) = 1
