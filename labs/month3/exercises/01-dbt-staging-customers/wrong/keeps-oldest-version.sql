-- Wrong: ordered ascending, row_number() = 1 keeps each customer's oldest version, not its newest.
select
    customer_id,
    lower(trim(email)) as email,
    full_name,
    upper(trim(country)) as country,
    segment,
    updated_at
from {{ source('shop', 'customers') }}
qualify row_number() over (partition by customer_id order by updated_at) = 1
