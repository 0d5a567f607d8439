-- Wrong: the raw orders hold an order once per version, so its lines are repeated: the grain breaks.
select
    l.order_id, l.line_no, cast(o.ordered_at as date) as order_date,
    coalesce(c.customer_key, -1) as customer_key, coalesce(p.product_key, -1) as product_key, lower(trim(o.status)) as status,
    l.quantity, l.unit_price_cents, l.discount_cents,
    l.quantity * l.unit_price_cents - coalesce(l.discount_cents, 0) as amount_cents
from {{ ref('stg_order_lines') }} as l
join {{ source('shop', 'orders') }} as o using (order_id)
left join {{ ref('dim_customers') }} as c on c.customer_id = o.customer_id
left join {{ ref('dim_products') }} as p on p.product_id = l.product_id
