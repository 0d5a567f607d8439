import type { LoadedLab } from '../lab/load.js';
import type { SqlSession } from '../services/duckdb.js';
import type { Dataset } from './runtime.js';

/** A session on a dataset with the lab's own set-up run first (e.g. the lake's bronze views). */
export async function openDatasetSession(lab: LoadedLab, dataset: Dataset): Promise<SqlSession> {
  const session = await dataset.sql.session();
  try {
    for (const sql of lab.def.sessionSetup?.(dataset.dir) ?? []) await session.run(sql);
  } catch (err) {
    session.close();
    throw err;
  }
  return session;
}
