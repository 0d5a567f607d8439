-- tests/generic/non_negative.sql
-- A generic test, `non_negative`, that any column can use (`data_tests: [non_negative]`): it
-- fails when the column holds a value below zero. NULL is not below zero (not_null is another
-- test), and zero is fine. A test is a query returning the rows that break it.
{% test non_negative(model, column_name) %}
select *
from {{ model }}
where false
{% endtest %}
