import { defineExercise, expectPlanLacks, expectSameRows } from '../../../../src/lab/checks.js';

/** The physical operators that run Python code row by row or batch by batch, outside the JVM. */
const PYTHON_NODES = /^(BatchEvalPython|ArrowEvalPython|FlatMapGroupsInPandas|FlatMapCoGroupsInPandas|MapInPandas|MapInArrow|PythonMapInArrow|AggregateInPandas|WindowInPandas|FlatMapGroupsInPandasWithState|Scan ExistingRDD)\b/;

export default defineExercise({
  title: 'Spark: built-in functions instead of a Python UDF',
  kind: 'python',
  library: 'pyspark',
  file: 'solution.py',
  traps: [
    { name: 'events in the hour 06:00–06:59 UTC (morning, not night)', count: 'SELECT count(*) FROM events WHERE hour(ts AT TIME ZONE \'UTC\') = 6' },
    { name: 'events in the hour 18:00–18:59 UTC (evening, not afternoon)', count: 'SELECT count(*) FROM events WHERE hour(ts AT TIME ZONE \'UTC\') = 18' },
    { name: 'buys of less than 10.00 (small)', count: "SELECT count(*) FROM events WHERE kind = 'buy' AND amount_cents < 1000" },
    { name: 'buys of 100.00 or more (large)', count: "SELECT count(*) FROM events WHERE kind = 'buy' AND amount_cents >= 10000" },
  ],
  checks: [
    expectSameRows({ key: ['day_part', 'band'] }),
    expectPlanLacks({
      node: PYTHON_NODES,
      what: 'Python code',
      why: 'every row leaves the JVM for a Python worker and comes back (serialized both ways, one row or one Arrow batch at a time), and Spark cannot optimize inside the function; F.hour, F.when and comparisons run in the JVM, compiled into the stage',
    }),
  ],
  timeoutMs: 180_000,
});
