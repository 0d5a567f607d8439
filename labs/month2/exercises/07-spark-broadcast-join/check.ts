import { defineExercise, expectBroadcastJoin, expectSameRows } from '../../../../src/lab/checks.js';

export default defineExercise({
  title: 'Spark: a broadcast join, read in the plan',
  kind: 'python',
  library: 'pyspark',
  file: 'solution.py',
  // Spark would broadcast a table this small on its own: with the threshold off, only the learner's hint does.
  sparkConf: { 'spark.sql.autoBroadcastJoinThreshold': '-1' },
  traps: [
    { name: 'clicks of anonymous visitors (customer 0, in no row of customers)', count: 'SELECT count(*) FROM events WHERE customer_id NOT IN (SELECT customer_id FROM customers)' },
    { name: 'a country with customers of several segments', count: 'SELECT count(*) FROM (SELECT country FROM customers GROUP BY country HAVING count(DISTINCT segment) > 1)' },
  ],
  checks: [
    expectSameRows({ key: ['country', 'segment'] }),
    expectBroadcastJoin({
      small: 'customers',
      why: 'wrap the small side in F.broadcast(customers) (or customers.hint("broadcast")): each task then joins its own slice of events against a copy of customers, and events is never shuffled',
    }),
  ],
  // Spark starts a JVM: allow for it on top of the job itself.
  timeoutMs: 180_000,
});
