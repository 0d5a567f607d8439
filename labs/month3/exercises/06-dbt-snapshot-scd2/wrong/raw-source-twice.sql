-- Wrong: the raw export lists some customers twice in one load, so the snapshot opens two current versions.
{% snapshot customers_snapshot %}
{{ config(target_schema='snapshots', unique_key='customer_id', strategy='timestamp', updated_at='updated_at', hard_deletes='invalidate') }}
select customer_id, lower(trim(email)) as email, full_name, upper(trim(country)) as country, segment, updated_at
from {{ source('shop', 'customers') }}
{% endsnapshot %}
