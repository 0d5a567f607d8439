select product_id, sku, product_name, category, list_price_cents
from {{ source('shop', 'products') }}
