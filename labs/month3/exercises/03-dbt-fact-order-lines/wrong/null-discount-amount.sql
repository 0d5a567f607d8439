-- Wrong: minus a NULL discount is NULL: every line without a discount loses its amount.
select
    l.order_id, l.line_no, o.order_date,
    coalesce(c.customer_key, -1) as customer_key, coalesce(p.product_key, -1) as product_key, o.status,
    l.quantity, l.unit_price_cents, l.discount_cents,
    l.quantity * l.unit_price_cents - l.discount_cents as amount_cents
from {{ ref('stg_order_lines') }} as l
join {{ ref('stg_orders') }} as o using (order_id)
left join {{ ref('dim_customers') }} as c on c.customer_id = o.customer_id
left join {{ ref('dim_products') }} as p on p.product_id = l.product_id
