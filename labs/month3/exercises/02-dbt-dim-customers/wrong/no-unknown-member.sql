-- Wrong: without the unknown member, a guest's order lines have no customer to point at.
select customer_id as customer_key, customer_id, email, full_name, country, segment
from {{ ref('stg_customers') }}
