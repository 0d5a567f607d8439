-- Wrong: lower() alone leaves the spaces the export put around some emails.
select
    customer_id,
    lower(email) as email,
    full_name,
    upper(country) as country,
    segment,
    updated_at
from {{ source('shop', 'customers') }}
qualify row_number() over (partition by customer_id order by updated_at desc) = 1
