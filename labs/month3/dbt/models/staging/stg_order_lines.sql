select order_id, line_no, product_id, quantity, unit_price_cents, discount_cents
from {{ source('shop', 'order_lines') }}
