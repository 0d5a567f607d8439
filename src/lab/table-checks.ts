import { fail, pass, type DeltaMetadata, type IcebergFile, type IcebergMetadata, type PythonRunContext, type ResultCheck } from './define.js';

/** Checks of a table-format exercise: on the table's metadata, beside its rows. */
type TableCheck = ResultCheck<PythonRunContext>;

const list = (items: string[], max = 3) => `${items.slice(0, max).join(', ')}${items.length > max ? ` (+${items.length - max} more)` : ''}`;

function iceberg(ctx: PythonRunContext): IcebergMetadata {
  if (ctx.table?.format !== 'iceberg') throw new Error('no Iceberg table metadata was recorded for this run');
  return ctx.table;
}

function delta(ctx: PythonRunContext): DeltaMetadata {
  if (ctx.table?.format !== 'delta') throw new Error('no Delta table metadata was recorded for this run');
  return ctx.table;
}

const partitionOf = (f: IcebergFile) => Object.entries(f.partition).map(([k, v]) => `${k}=${v}`).join('/') || '(unpartitioned)';

/** The table is partitioned by a transform of a column (hidden partitioning), and by nothing else. */
export function expectPartitionTransform(opts: { source: string; transform: string }): TableCheck {
  return {
    name: `partitioned by ${opts.transform}(${opts.source})`,
    on: 'results',
    async run(ctx) {
      const fields = iceberg(ctx).partition_fields;
      const ok = fields.length === 1 && fields[0]!.source === opts.source && fields[0]!.transform === opts.transform;
      if (ok) return pass(`partition spec: ${opts.transform}(${opts.source})`);
      const spec = fields.length ? fields.map((f) => `${f.transform}(${f.source})`).join(', ') : 'unpartitioned';
      return fail(`the table's partition spec is ${spec}: partition by ${opts.transform}(${opts.source}), a transform Iceberg applies itself (add_field("${opts.source}", DayTransform(), …)), so no copy of the day rides in the rows and a filter on ${opts.source} prunes files`);
    },
  };
}

/**
 * Fixing one partition left the others' data files alone: from the first snapshot holding the whole
 * load (as many rows as `loadedTable`) to the current one, at most `partitions` partitions changed files.
 */
export function expectOnlyPartitionsRewritten(opts: { loadedTable: string; partitions: number; what: string }): TableCheck {
  return {
    name: `only ${opts.partitions} partition${opts.partitions === 1 ? '' : 's'} rewritten`,
    on: 'results',
    async run(ctx) {
      const meta = iceberg(ctx);
      const loaded = Number(await ctx.session.scalar(`SELECT count(*) FROM ${opts.loadedTable}`));
      const first = meta.snapshots.find((s) => s.rows === loaded);
      if (!first) return fail(`no snapshot of the table holds the ${loaded} rows of ${opts.loadedTable}: append them before replacing ${opts.what}`);
      const before = new Set(first.files.map((f) => f.path));
      const after = new Set(meta.files.map((f) => f.path));
      const touched = new Set([...first.files.filter((f) => !after.has(f.path)), ...meta.files.filter((f) => !before.has(f.path))].map(partitionOf));
      if (touched.size <= opts.partitions) return pass(`${touched.size} partition rewritten; ${first.files.filter((f) => after.has(f.path)).length} data files kept as they were`);
      return fail(`${touched.size} partitions got new data files to replace ${opts.what} (${list([...touched])}): replace that partition only (overwrite with a filter on its day, or delete it and append), so the other days' files stay and readers of them are not disturbed`);
    },
  };
}

/** Columns renamed in place keep their field id: the files written before still read under the new name. */
export function expectRenamedInPlace(opts: { from: string; to: string }): TableCheck {
  return {
    name: `${opts.from} renamed to ${opts.to}, same field id`,
    on: 'results',
    async run(ctx) {
      const meta = iceberg(ctx);
      const firstField = meta.schemas[0]?.fields.find((f) => f.name === opts.from);
      const current = meta.schemas.find((s) => s.id === meta.current_schema_id);
      const now = current?.fields.find((f) => f.name === opts.to);
      if (!firstField) return fail(`the table's first schema has no column ${opts.from}: evolve the table the lab laid, do not create another`);
      if (!now) return fail(`the current schema has no column ${opts.to}`);
      if (now.id !== firstField.id) return fail(`${opts.to} has field id ${now.id}, ${opts.from} had ${firstField.id}: it was dropped and added, so the rows written before have no value for it; rename_column keeps the id, and every old file reads under the new name`);
      return pass(`${opts.to} is field ${now.id}, as ${opts.from} was`);
    },
  };
}

/** The table kept its history: the snapshots the lab wrote are still in its log (evolved, not recreated). */
export function expectHistoryKept(opts: { snapshots: number }): TableCheck {
  return {
    name: 'the table kept its history',
    on: 'results',
    async run(ctx) {
      const meta = iceberg(ctx);
      const laid = meta.snapshots.filter((s) => s.summary['lab.setup'] === 'true');
      if (laid.length >= opts.snapshots) return pass(`${meta.snapshots.length} snapshots, the lab's ${laid.length} among them`);
      return fail(`the lab's ${opts.snapshots} snapshot${opts.snapshots === 1 ? '' : 's'} are gone from the table's log (${laid.length} left): the table was dropped and created again, which throws away its history (time travel, audits); evolve it in place`);
    },
  };
}

/** The Delta log holds these operations after the lab's own versions, and none of the forbidden. */
export function expectDeltaOperations(opts: { required: Array<{ operation: string; why: string }>; forbidden?: Array<{ operation: string; mode?: string; why: string }> }): TableCheck {
  return {
    name: `the Delta log shows ${opts.required.map((r) => r.operation).join(', ')}`,
    on: 'results',
    async run(ctx) {
      const log = delta(ctx).history.filter((h) => !h.lab_setup);
      const ops = log.map((h) => `${h.operation}${h.parameters.mode ? ` (${String(h.parameters.mode)})` : ''}`);
      for (const f of opts.forbidden ?? []) {
        const bad = log.find((h) => h.operation === f.operation && (!f.mode || String(h.parameters.mode) === f.mode));
        if (bad) return fail(`version ${bad.version} is a ${f.operation}${f.mode ? ` (${f.mode})` : ''}: ${f.why} (your versions: ${list(ops, 6)})`);
      }
      for (const r of opts.required) {
        if (!log.some((h) => h.operation === r.operation)) return fail(`no ${r.operation} in the table's log after the lab's versions (yours: ${ops.length ? list(ops, 6) : 'none'}): ${r.why}`);
      }
      return pass(`log: ${list(ops, 6)}`);
    },
  };
}

/** Compacted: each partition's current rows are in at most `perPartition` files. */
export function expectCompacted(opts: { perPartition: number }): TableCheck {
  return {
    name: `at most ${opts.perPartition} file per partition`,
    on: 'results',
    async run(ctx) {
      const meta = delta(ctx);
      const byPartition = new Map<string, number>();
      for (const f of meta.files) {
        const dir = f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '(root)';
        byPartition.set(dir, (byPartition.get(dir) ?? 0) + 1);
      }
      const crowded = [...byPartition].filter(([, n]) => n > opts.perPartition).sort((a, b) => b[1] - a[1]);
      if (crowded.length === 0) return pass(`${meta.files.length} files for ${byPartition.size} partitions`);
      return fail(`${crowded.length} partitions still hold small files, e.g. ${crowded[0]![0]}/ with ${crowded[0]![1]}: compact them (DeltaTable.optimize.compact()), so a reader opens one file per day instead of many`);
    },
  };
}

/** Vacuumed: no Parquet file in the table's folder is outside the current version. */
export function expectVacuumed(): TableCheck {
  return {
    name: 'old files vacuumed',
    on: 'results',
    async run(ctx) {
      const meta = delta(ctx);
      const current = new Set(meta.files);
      const stale = meta.files_on_disk.filter((f) => !current.has(f));
      if (stale.length === 0) return pass(`${meta.files_on_disk.length} files on disk, all current`);
      return fail(`${stale.length} Parquet files in the table's folder belong to no current version: the versions they served are still readable, and still stored; vacuum them (retention 0 h here, with enforce_retention_duration=False) once no reader needs them`);
    },
  };
}

/** The current snapshot is one the lab wrote before its bad one: the table was rolled back, not rewritten. */
export function expectRolledBack(): TableCheck {
  return {
    name: 'rolled back to the last good snapshot',
    on: 'results',
    async run(ctx) {
      const meta = iceberg(ctx);
      const current = meta.snapshots.find((s) => s.id === meta.current_snapshot_id);
      if (!current) return fail('the table has no current snapshot');
      if (current.summary['lab.bad'] === 'true') return fail('the current snapshot is still the bad delete: roll back to the snapshot before it');
      if (current.summary['lab.setup'] === 'true') return pass(`snapshot ${current.id} is current again (${current.rows} rows), no data rewritten`);
      return fail(`the current snapshot ${current.id} is a new ${current.operation ?? 'write'}, not the lab's good snapshot: the good state still exists, so make it current (manage_snapshots().rollback_to_snapshot) instead of writing its rows again`);
    },
  };
}

/** Old snapshots expired: the log holds the current snapshot alone. */
export function expectOnlyCurrentSnapshot(): TableCheck {
  return {
    name: 'every snapshot but the current one expired',
    on: 'results',
    async run(ctx) {
      const meta = iceberg(ctx);
      const others = meta.snapshots.filter((s) => s.id !== meta.current_snapshot_id);
      if (others.length === 0) return pass('one snapshot left, the current one');
      const bad = others.some((s) => s.summary['lab.bad'] === 'true');
      return fail(`${others.length} snapshot${others.length === 1 ? '' : 's'} besides the current one ${others.length === 1 ? 'is' : 'are'} still in the log${bad ? ', the bad delete among them' : ''}: expire them (maintenance.expire_snapshots().older_than(now)), so their metadata and the files only they use can go`);
    },
  };
}
