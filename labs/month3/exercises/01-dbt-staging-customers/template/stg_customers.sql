-- models/staging/stg_customers.sql
-- One row per customer: the newest version the export listed, the email in lower case without
-- spaces around it, the country code in capitals. Columns: customer_id, email, full_name,
-- country, segment, updated_at. Read the raw table as {{ source('shop', 'customers') }}.
select *
from {{ source('shop', 'customers') }}
