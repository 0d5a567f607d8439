-- Wrong: coalesce(…, -1) turns "no discount" into a failure: NULL is not negative, not_null is another test.
{% test non_negative(model, column_name) %}
select {{ column_name }}
from {{ model }}
where coalesce({{ column_name }}, -1) < 0
{% endtest %}
