-- Wrong: by default a snapshot ignores keys that left the source, so a closed account stays current forever.
{% snapshot customers_snapshot %}
{{ config(target_schema='snapshots', unique_key='customer_id', strategy='timestamp', updated_at='updated_at') }}
select customer_id, email, full_name, country, segment, updated_at
from {{ ref('stg_customers') }}
{% endsnapshot %}
