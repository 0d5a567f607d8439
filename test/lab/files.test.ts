import { describe, expect, it } from 'vitest';
import { expectPartitionedFiles } from '../../src/lab/checks.js';
import type { DatasetFile, PythonRunContext } from '../../src/lab/define.js';

const check = expectPartitionedFiles({ by: 'day', filesPerPartition: 1, why: 'repartition("day") first' });
const grade = (files: DatasetFile[] | undefined) => check.run({ dataset: 'seed 42 (small)', hidden: false, learnerTable: 'learner', referenceTable: 'reference', files } as unknown as PythonRunContext);
const part = (n: number) => `part-0000${n}-3f2c9a1e-1b2c-4d5e-8f90-0123456789ab.c000.snappy.parquet`;

describe('expectPartitionedFiles: the files a write left', () => {
  it('passes one Parquet file per day folder, and says how big they are', async () => {
    const r = await grade([
      { path: `day=2024-03-01/${part(0)}`, bytes: 20_480 },
      { path: `day=2024-03-02/${part(1)}`, bytes: 10_240 },
    ]);
    expect(r.status).toBe('pass');
    expect(r.message).toBe('2 day folders, one file each (median 20.0 KB)');
  });

  it('fails a day folder with a file per task, naming the folder, how many and how small', async () => {
    const r = await grade([
      ...[0, 1, 2].map((n) => ({ path: `day=2024-03-01/${part(n)}`, bytes: 2_048 })),
      { path: `day=2024-03-02/${part(0)}`, bytes: 4_096 },
    ]);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('1 of 2 day folders hold more than one file: day=2024-03-01/ has 3 files of 2.0 KB on average: repartition("day") first');
  });

  it('fails files outside a day= folder, and files that are not Parquet', async () => {
    const flat = await grade([{ path: part(0), bytes: 9_000 }]);
    expect(flat.status).toBe('fail');
    expect(flat.message).toContain('1 of 1 files are not in a day=… folder right under output_dir (part-00000-….c000.snappy.parquet): .write.partitionBy("day")');
    const csv = await grade([{ path: 'day=2024-03-01/part-00000.csv', bytes: 9_000 }]);
    expect(csv.status).toBe('fail');
    expect(csv.message).toContain('not Parquet: day=2024-03-01/part-00000.csv');
  });

  it('fails an earlier run\'s files left beside the new ones: a rerun replaces', async () => {
    const r = await grade([
      { path: 'day=2024-03-01/data_0.parquet', bytes: 5_000, fromEarlierRun: true },
      { path: `day=2024-03-01/${part(0)}`, bytes: 5_000 },
    ]);
    expect(r.status).toBe('fail');
    expect(r.message).toContain('1 file of the earlier run is still in output_dir (day=2024-03-01/data_0.parquet)');
    expect(r.message).toContain('.mode("overwrite")');
  });

  it('is an error, not a fail, on an exercise that writes no dataset', async () => {
    expect((await grade(undefined)).status).toBe('error');
  });
});
