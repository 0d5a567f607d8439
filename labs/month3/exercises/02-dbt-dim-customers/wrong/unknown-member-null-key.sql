-- Wrong: a NULL key is no member: NULL = NULL is not true, so no fact row ever joins to it.
select customer_id as customer_key, customer_id, email, full_name, country, segment
from {{ ref('stg_customers') }}
union all
select null, null, null, 'unknown customer', 'unknown', 'unknown'
