-- snapshots/customers_snapshot.sql
-- A type-2 history of each customer: a new version whenever the customer changed (its updated_at
-- moved), the old one closed (dbt_valid_to) when the new one starts. The grader builds the project
-- on the first load, then again on the second: some customers moved or changed segment, some are
-- new, and some closed their account — their last version must end too. Snapshot one row per
-- customer (stg_customers), into the schema `snapshots`.
{% snapshot customers_snapshot %}
{{
    config(
        target_schema='snapshots',
        unique_key='customer_id',
        strategy='check',
        check_cols=['email'],
    )
}}
select customer_id, email, full_name, country, segment, updated_at
from {{ ref('stg_customers') }}
{% endsnapshot %}
