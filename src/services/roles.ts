import type { StartedDuckDb } from './duckdb.js';
import type { StartedIcebergCatalog } from './iceberg-rest.js';
import type { StartedKafka } from './kafka.js';
import type { StartedPostgres } from './postgres.js';
import type { StartedPrefect } from './prefect.js';
import type { StartedPythonVenv } from './python/python.js';
import type { StartedRedis } from './redis.js';
import type { StartedS3 } from './s3.js';
import type { StartedSparkConnect } from './spark.js';
import type { StartedTrino } from './trino.js';
import type { StartedWeaviate } from './weaviate.js';

/**
 * What a lab asks a runtime for, and the started client each role hands back. `sql` is the
 * lab's own DuckDB (the datasets the checks read); `queryEngine` is a distributed SQL engine
 * over the lake (Trino on the lakehouse stack).
 */
export interface RoleClients {
  sql: StartedDuckDb;
  python: StartedPythonVenv;
  oltp: StartedPostgres;
  objectStore: StartedS3;
  catalog: StartedIcebergCatalog;
  queryEngine: StartedTrino;
  stream: StartedKafka;
  cache: StartedRedis;
  vectors: StartedWeaviate;
  spark: StartedSparkConnect;
  orchestrator: StartedPrefect;
}

export type Role = keyof RoleClients;

export const ROLES: readonly Role[] = ['sql', 'python', 'oltp', 'objectStore', 'catalog', 'queryEngine', 'stream', 'cache', 'vectors', 'spark', 'orchestrator'];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
