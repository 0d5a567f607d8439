-- The product dimension: one row per product, and one "unknown" member (key -1) for lines whose
-- product was deleted from the catalogue, so every fact row finds its product.
select product_id as product_key, product_id, sku, product_name, category, list_price_cents
from {{ ref('stg_products') }}
union all
select -1, null, 'unknown', 'unknown product', 'unknown', null
