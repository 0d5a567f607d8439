-- snapshots/customers_snapshot.sql: a type-2 history of each customer, one version per change.
{% snapshot customers_snapshot %}
{{
    config(
        target_schema='snapshots',
        unique_key='customer_id',
        strategy='timestamp',
        updated_at='updated_at',
        hard_deletes='invalidate',
    )
}}
select customer_id, email, full_name, country, segment, updated_at
from {{ ref('stg_customers') }}
{% endsnapshot %}
