-- models/marts/fct_order_lines.sql
-- The fact table of the star: one row per order line (its grain: order_id, line_no), with
--   order_id, line_no, order_date, customer_key, product_key, status,
--   quantity, unit_price_cents, discount_cents, amount_cents
-- int_order_lines already has each line with its order's date, status and customer_id (or join
-- stg_order_lines to stg_orders yourself); customer_key comes from dim_customers and product_key
-- from dim_products (-1, their unknown member, when the line's customer or product has no row);
-- amount_cents = quantity * unit_price_cents minus the discount (no discount: NULL).
select
    l.order_id,
    l.line_no,
    l.quantity,
    l.unit_price_cents,
    l.discount_cents
from {{ ref('stg_order_lines') }} as l
