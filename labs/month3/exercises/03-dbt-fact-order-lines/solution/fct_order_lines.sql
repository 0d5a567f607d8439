-- models/marts/fct_order_lines.sql: the fact table, one row per order line.
select
    l.order_id,
    l.line_no,
    l.order_date,
    coalesce(c.customer_key, -1) as customer_key,
    coalesce(p.product_key, -1) as product_key,
    l.status,
    l.quantity,
    l.unit_price_cents,
    l.discount_cents,
    l.quantity * l.unit_price_cents - coalesce(l.discount_cents, 0) as amount_cents
from {{ ref('int_order_lines') }} as l
left join {{ ref('dim_customers') }} as c on c.customer_id = l.customer_id
left join {{ ref('dim_products') }} as p on p.product_id = l.product_id
