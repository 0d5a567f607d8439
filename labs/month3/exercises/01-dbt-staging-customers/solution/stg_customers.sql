-- models/staging/stg_customers.sql: one row per customer, its newest version, spelled one way.
select
    customer_id,
    lower(trim(email)) as email,
    full_name,
    upper(trim(country)) as country,
    segment,
    updated_at
from (
    select
        *,
        row_number() over (partition by customer_id order by updated_at desc) as version_rank
    from {{ source('shop', 'customers') }}
) as versions
where version_rank = 1
