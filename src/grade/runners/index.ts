import type { ExerciseKind } from '../../lab/define.js';
import { dbtRunner } from './dbt.js';
import { flowRunner } from './flow.js';
import { modelRunner } from './model.js';
import { pythonRunner } from './python.js';
import { retrievalRunner } from './retrieval.js';
import type { ExerciseRunner } from './runner.js';
import { sqlRunner } from './sql.js';
import { streamRunner } from './stream.js';

/** One runner per kind of exercise: adding a kind is adding its runner here. */
const RUNNERS: { [K in ExerciseKind]: ExerciseRunner<K> } = { dbt: dbtRunner, sql: sqlRunner, python: pythonRunner, model: modelRunner, stream: streamRunner, retrieval: retrievalRunner, flow: flowRunner };

export function runnerFor(kind: ExerciseKind): ExerciseRunner {
  return RUNNERS[kind] as unknown as ExerciseRunner;
}
