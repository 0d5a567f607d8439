-- Each order line with what its order says (its day, status, customer): one row per line, ready
-- for the marts. Intermediate models hold joins several marts would otherwise each write again.
select
    l.order_id,
    l.line_no,
    o.order_date,
    o.status,
    o.customer_id,
    l.product_id,
    l.quantity,
    l.unit_price_cents,
    l.discount_cents
from {{ ref('stg_order_lines') }} as l
join {{ ref('stg_orders') }} as o using (order_id)
