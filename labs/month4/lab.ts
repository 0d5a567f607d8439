import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BRONZE_SOURCES, bronzeViews, incomingDay, lakehouseSize, landedDays, landIncoming, writeBronze } from '../../datasets/lakehouse/bronze.js';
import { defineLab } from '../../src/lab/define.js';
import { MODEL_LAYERS, modelViewSql } from '../../src/lab/models.js';
import { lakeIntoObjectStore, tablesIntoIceberg } from '../../src/runtime/seed/lakehouse.js';

/** The lake of a dataset: bronze drops, and the silver and gold tables `lab run` builds. */
export const lakeDir = (datasetDir: string) => path.join(datasetDir, 'lake');
const tables = BRONZE_SOURCES.map((s) => `bronze.${s}`);

function sessionSetup(datasetDir: string): string[] {
  const lake = lakeDir(datasetDir);
  const built = MODEL_LAYERS.flatMap((layer) => {
    const dir = path.join(lake, layer);
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      // A table's folder is named like a table: anything else (a run's work folder) is not one.
      .filter((table) => /^[a-z_][a-z0-9_]*$/.test(table) && (fs.readdirSync(path.join(dir, table), { recursive: true }) as string[]).some((f) => f.endsWith('.parquet')))
      .map((table) => modelViewSql(`${layer}.${table}`, path.join(dir, table)));
  });
  // The lake's views live in the in-memory catalog: the dataset file is attached read-only.
  return ['USE memory', ...bronzeViews(lake), 'CREATE SCHEMA IF NOT EXISTS silver', 'CREATE SCHEMA IF NOT EXISTS gold', ...built];
}

export default defineLab({
  name: 'month4',
  title: 'The open-source lakehouse: medallion bronze, silver, gold',
  summary: 'Raw daily drops to a clean star schema: typed and deduplicated silver with a quarantine, an SCD2 dimension, facts and a mart, as Parquet in a lake.',
  roles: ['sql', 'python', 'objectStore', 'catalog', 'queryEngine', 'spark'],
  sqlEngine: { local: 'DuckDB', docker: 'Trino' },
  needs: { python: true, jdk: true, memoryGiB: 4 },
  // The optional PySpark track (exercise 10) runs Spark local[2] from this venv on the JDK.
  pythonRequirements: 'requirements.txt',
  tables,
  datasetVersion: (seed, scale) =>
    crypto.createHash('sha256').update(`bronze-v1:${seed}:${scale}:${JSON.stringify(lakehouseSize(scale))}`).update(fs.readFileSync(new URL('../../datasets/lakehouse/bronze.js', import.meta.url))).digest('hex').slice(0, 16),
  async seed(session, { seed, scale, dir, onTable }) {
    if (!dir) throw new Error('month4 seeds files: the dataset folder is required');
    // Writing a year of partitions at once buffers per partition: cap it so large stays under 4 GiB.
    await session.run("SET memory_limit = '2500MB'");
    await writeBronze(session, lakeDir(dir), { seed, scale, onSource: (source, rows) => onTable?.(`bronze.${source}`, rows, 0) });
  },
  // On the lakehouse stack: the drops land in MinIO, and each bronze table is an Iceberg table in Trino's catalog.
  seedsInto: { objectStore: lakeIntoObjectStore({ lake: lakeDir }), queryEngine: tablesIntoIceberg({ lake: lakeDir, tables, sessionSetup }) },
  // The drops are the data: a landed drop is a new revision of the dataset.
  dataFolders: (datasetDir) => [path.join(lakeDir(datasetDir), 'bronze'), path.join(lakeDir(datasetDir), 'incoming')],
  sessionSetup,
  lake: lakeDir,
  dropDays: (datasetDir) => landedDays(lakeDir(datasetDir)),
  nextDrop(datasetDir) {
    const lake = lakeDir(datasetDir);
    const day = incomingDay(lake);
    return day ? { day, land: bronzeViews(lake, { withIncoming: true }), unland: bronzeViews(lake), commit: () => landIncoming(lake) } : undefined;
  },
});
