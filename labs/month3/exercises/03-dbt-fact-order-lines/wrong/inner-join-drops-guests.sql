-- Wrong: an inner join to the dimensions drops the lines of guests and of deleted products.
select
    l.order_id, l.line_no, o.order_date, c.customer_key, p.product_key, o.status,
    l.quantity, l.unit_price_cents, l.discount_cents,
    l.quantity * l.unit_price_cents - coalesce(l.discount_cents, 0) as amount_cents
from {{ ref('stg_order_lines') }} as l
join {{ ref('stg_orders') }} as o using (order_id)
join {{ ref('dim_customers') }} as c on c.customer_id = o.customer_id
join {{ ref('dim_products') }} as p on p.product_id = l.product_id
