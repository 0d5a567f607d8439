-- Wrong: DISTINCT removes identical rows, but a customer's older version differs (another segment), so it stays.
select distinct
    customer_id,
    lower(trim(email)) as email,
    full_name,
    upper(trim(country)) as country,
    segment,
    updated_at
from {{ source('shop', 'customers') }}
