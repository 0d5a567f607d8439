-- One row per order: its newest version, the status spelled one way.
select
    order_id,
    customer_id,
    lower(trim(status)) as status,
    ordered_at,
    cast(ordered_at as date) as order_date,
    updated_at
from (
    select
        *,
        row_number() over (partition by order_id order by updated_at desc) as version_rank
    from {{ source('shop', 'orders') }}
) as versions
where version_rank = 1
