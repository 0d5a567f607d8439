import { fail, pass, skipped, type CheckOutcome, type FlowRunContext, type ResultCheck } from './define.js';

/** Checks of a flow exercise: on its partitions and on the run history Prefect and the lab's source kept. */
type FlowCheck = ResultCheck<FlowRunContext>;

const list = (items: unknown[], max = 4) => `${items.slice(0, max).join(', ')}${items.length > max ? ` (+${items.length - max} more)` : ''}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The failed task runs of a flow run, for a message: "extract-2a1 (FAILED)". */
async function failedTasks(ctx: FlowRunContext, flowRunId: string | undefined): Promise<string> {
  if (!flowRunId) return '';
  const rows = await ctx.session.queryObjects(`SELECT name, state_type FROM ${ctx.taskRunsTable} WHERE flow_run_id = '${flowRunId}' AND state_type NOT IN ('COMPLETED') ORDER BY start_ms NULLS LAST LIMIT 3`);
  return rows.length ? `; its task runs ${list(rows.map((r) => `${String(r.name)} (${String(r.state_type)})`))}` : '';
}

/** Every run the scenario expects to succeed ended COMPLETED (resume: all but the first). */
export function expectFlowCompleted(opts: { exceptFirst?: boolean } = {}): FlowCheck {
  return {
    name: 'the flow run completed',
    on: 'results',
    async run(ctx) {
      for (const [i, r] of ctx.runs.entries()) {
        if (opts.exceptFirst && i === 0) continue;
        if (r.state !== 'COMPLETED') return fail(`the flow run over ${r.start}..${r.end} ended ${r.state}${r.message ? `: ${r.message}` : ''}${await failedTasks(ctx, r.flowRunId)}`);
      }
      return pass(`${ctx.runs.length === 1 ? 'the run' : `${ctx.runs.length} runs`} completed`);
    },
  };
}

/** Each day is read by a task run of its own: the unit Prefect retries, caches and runs apart. */
export function expectTaskPerDay(): FlowCheck {
  return {
    name: 'a task per day',
    on: 'results',
    async run(ctx) {
      const outside = await ctx.session.queryObjects(`SELECT DISTINCT day FROM ${ctx.eventsTable} WHERE op = 'read' AND task_run_id IS NULL ORDER BY day`);
      if (outside.length) return fail(`${list(outside.map((r) => r.day))} ${outside.length === 1 ? 'was' : 'were'} read in the flow's own body, outside any task: put a day's work in a @task, called once per day`);
      const shared = await ctx.session.queryObjects(`SELECT any_value(task_run_name) AS name, count(DISTINCT day) AS days, string_agg(DISTINCT day, ', ' ORDER BY day) AS which FROM ${ctx.eventsTable} WHERE op = 'read' GROUP BY task_run_id HAVING count(DISTINCT day) > 1 ORDER BY days DESC LIMIT 1`);
      if (shared.length) return fail(`the task run ${String(shared[0]!.name)} read ${String(shared[0]!.days)} days (${String(shared[0]!.which)}): one task run per day lets a day fail, retry and re-run alone`);
      const days = Number(await ctx.session.scalar(`SELECT count(DISTINCT day) FROM ${ctx.eventsTable} WHERE op = 'read'`));
      return days ? pass(`${days} days, each in its own task run`) : fail('the flow never read a day from the source (lab_flow.read_orders)');
    },
  };
}

/** A second run over the same days leaves the same rows and no more files: it replaces a day's partition, it never appends. */
export function expectIdempotentRerun(): FlowCheck {
  return {
    name: 'a re-run replaces, never appends',
    on: 'results',
    async run(ctx) {
      if (!ctx.firstRunTable) return skipped('this scenario runs the flow once');
      const s = ctx.session;
      const changed = await s.queryObjects(`WITH a AS (SELECT day, count(*) AS n FROM ${ctx.firstRunTable} GROUP BY day), b AS (SELECT day, count(*) AS n FROM ${ctx.learnerTable} GROUP BY day)
        SELECT coalesce(a.day, b.day) AS day, coalesce(a.n, 0) AS first, coalesce(b.n, 0) AS second FROM a FULL JOIN b USING (day) WHERE coalesce(a.n, 0) <> coalesce(b.n, 0) ORDER BY day LIMIT 3`);
      if (changed.length) {
        const d = changed[0]!;
        return fail(`after the second run over the same days, ${String(d.day)} holds ${String(d.second)} rows where the first run left ${String(d.first)}: the re-run ${Number(d.second) > Number(d.first) ? 'appended to' : 'lost rows of'} the day's partition; write it so a run replaces what the day held`);
      }
      const differs = Number(await s.scalar(`SELECT count(*) FROM ((SELECT * FROM ${ctx.firstRunTable} EXCEPT ALL SELECT * FROM ${ctx.learnerTable}) UNION ALL (SELECT * FROM ${ctx.learnerTable} EXCEPT ALL SELECT * FROM ${ctx.firstRunTable}))`));
      if (differs) return fail(`the second run over the same days changed ${differs} row${differs === 1 ? '' : 's'}: the same input must give the same partitions`);
      const files = await s.queryObjects(`SELECT day, count(*) AS files FROM ${ctx.partitionsTable} GROUP BY day HAVING count(*) > 1 ORDER BY day LIMIT 1`);
      if (files.length) return fail(`after the second run, day=${String(files[0]!.day)} holds ${String(files[0]!.files)} files: the re-run added its file beside the old one (the rows happen to match only while readers dedupe); replace the day's files`);
      return pass('the second run left the same rows and files');
    },
  };
}

interface Attempt {
  day: string;
  task_run_id: string | null;
  start_ms: number;
  end_ms: number;
  ok: boolean;
}

/** The source's transient failures were retried by the task itself, each wait longer than the one before. */
export function expectRetriedWithBackoff(opts: { minFirstWaitMs?: number } = {}): FlowCheck {
  const minFirst = opts.minFirstWaitMs ?? 500;
  return {
    name: 'transient failures retried, with backoff',
    on: 'results',
    async run(ctx) {
      const failing = (await ctx.session.queryObjects(`SELECT day::VARCHAR AS day, transient_failures FROM faults WHERE transient_failures > 0 ORDER BY day`)).map((r) => ({ day: String(r.day), failures: Number(r.transient_failures) }));
      if (failing.length === 0) return skipped('no day fails transiently in this dataset');
      for (const { day, failures } of failing) {
        const attempts = (await ctx.session.queryObjects(`SELECT day, task_run_id, start_ms, end_ms, ok FROM ${ctx.eventsTable} WHERE op = 'read' AND day = '${day}' ORDER BY start_ms`)).map((r) => ({ day: String(r.day), task_run_id: r.task_run_id as string | null, start_ms: Number(r.start_ms), end_ms: Number(r.end_ms), ok: r.ok === true })) as Attempt[];
        if (!attempts.some((a) => a.ok)) return fail(`${day}: the source answered 503 ${attempts.length === 1 ? 'once' : `${attempts.length} times`} and the day was never read: give the task retries (it fails ${failures} time${failures === 1 ? '' : 's'} before it answers)`);
        const runs = new Set(attempts.map((a) => a.task_run_id));
        if (runs.size > 1 || runs.has(null)) return fail(`${day}: its ${attempts.length} attempts ran in ${runs.size} different task runs: retry inside the task (@task(retries=…)), so Prefect records one task that failed and recovered, instead of calling it again`);
        const record = Number(await ctx.session.scalar(`SELECT max(run_count) FROM ${ctx.taskRunsTable} WHERE task_run_id = '${attempts[0]!.task_run_id}'`));
        if (record < attempts.length) return fail(`${day}: the source was asked ${attempts.length} times, but Prefect ran the task ${record || 0} time${record === 1 ? '' : 's'}: the retry happened inside the task's code, hidden from the run history; let the exception fail the task and set @task(retries=…)`);
        const waits = attempts.slice(1).map((a, i) => a.start_ms - attempts[i]!.end_ms);
        if (waits[0]! < minFirst) return fail(`${day}: retried ${waits[0]} ms after the 503: a failing service needs a moment, set retry_delay_seconds`);
        // The task's own policy says whether it backs off; the waits seen on a busy machine also carry the server's round trips.
        const policy = JSON.parse(String(await ctx.session.scalar(`SELECT any_value(retry_delay) FROM ${ctx.taskRunsTable} WHERE task_run_id = '${attempts[0]!.task_run_id}'`) ?? 'null')) as number | number[] | null;
        const used = Array.isArray(policy) ? policy.slice(0, waits.length) : undefined;
        const grows = used ? used.every((d, i) => i === 0 || d > used[i - 1]!) : waits.every((w, i) => i === 0 || w >= waits[i - 1]! * 1.2);
        if (waits.length > 1 && !grows) {
          const said = typeof policy === 'number' ? `retry_delay_seconds=${policy}: ` : Array.isArray(policy) ? `retry_delay_seconds=${JSON.stringify(policy)}: ` : '';
          return fail(`${day}: ${said}waited ${waits.map((w) => seconds(w)).join(', then ')} between its attempts: back off, each wait longer than the one before (retry_delay_seconds=[1, 2, 4] or exponential_backoff)`);
        }
      }
      return pass(`${failing.length} failing days retried by their tasks, with growing waits`);
    },
  };
}

/** The drop that landed late was waited for and read, not failed on or skipped. */
export function expectLateDropRead(): FlowCheck {
  return {
    name: 'waited for the late drop',
    on: 'results',
    async run(ctx) {
      const late = await ctx.session.scalar<string | null>(`SELECT day::VARCHAR FROM faults WHERE late_ms > 0 LIMIT 1`);
      if (!late) return skipped('no drop lands late in this dataset');
      const lateMs = Number(await ctx.session.scalar(`SELECT late_ms FROM faults WHERE day = '${late}'::DATE`));
      const ok = Number(await ctx.session.scalar(`SELECT count(*) FROM ${ctx.eventsTable} WHERE op = 'read' AND day = '${late}' AND ok`));
      if (ok) return pass(`${late} landed ${seconds(lateMs)} late and was read once it had`);
      const errors = await ctx.session.queryObjects(`SELECT error, count(*) AS n FROM ${ctx.eventsTable} WHERE op = 'read' AND day = '${late}' AND NOT ok GROUP BY error ORDER BY n DESC`);
      const tried = errors.length ? ` (read ${errors.map((e) => `${String(e.n)}× ${String(e.error)}`).join(', ')})` : ' (never read)';
      return fail(`the drop of ${late} lands ${seconds(lateMs)} after the flow starts, and the flow did not wait for it${tried}: wait for upstream data — a sensor task polling lab_flow.landed(day) until it is there, or a timeout that fails the run`);
    },
  };
}

/** A backfill writes the days asked for, and only those. */
export function expectOnlyRequestedDays(): FlowCheck {
  return {
    name: 'only the days asked for',
    on: 'results',
    async run(ctx) {
      const [first, last] = [ctx.runs.map((r) => r.start).sort()[0]!, ctx.runs.map((r) => r.end).sort().at(-1)!];
      const outside = await ctx.session.queryObjects(`SELECT DISTINCT day::VARCHAR AS day FROM ${ctx.partitionsTable} WHERE day < '${first}'::DATE OR day > '${last}'::DATE ORDER BY day`);
      if (outside.length) return fail(`asked for ${first}..${last}, the flow wrote ${list(outside.map((r) => r.day))} too: use the start and end it is given`);
      return pass(`only ${first}..${last}`);
    },
  };
}

/** The backfill's days ran at the same time: its wall time is well under the sum of its reads. */
export function expectConcurrentDays(opts: { maxShare?: number } = {}): FlowCheck {
  const maxShare = opts.maxShare ?? 0.6;
  return {
    name: 'days run concurrently',
    on: 'results',
    async run(ctx) {
      const r = (await ctx.session.queryObjects(`WITH reads AS (SELECT start_ms, end_ms FROM ${ctx.eventsTable} WHERE op = 'read')
        SELECT count(*) AS n, sum(end_ms - start_ms) AS busy, max(end_ms) - min(start_ms) AS span,
               (SELECT max(c) FROM (SELECT (SELECT count(*) FROM reads o WHERE o.start_ms < i.end_ms AND o.end_ms > i.start_ms) AS c FROM reads i)) AS peak
        FROM reads`))[0]!;
      const [n, busy, span, peak] = [Number(r.n), Number(r.busy), Number(r.span), Number(r.peak)];
      if (n < 2) return skipped('fewer than two reads');
      if (peak < 2 || span > busy * maxShare) return fail(`${n} reads took ${seconds(busy)} together and the backfill ${seconds(span)} from first to last (at most ${peak} at once): the days ran one after another; submit them (task.map(days) or .submit()) so independent days run at the same time`);
      return pass(`${n} reads in ${seconds(span)} (${seconds(busy)} one after another), up to ${peak} at once`);
    },
  };
}

/** The publish step (read the summary, change it, write it back) never ran twice at once, not even from two runs. */
export function expectPublishedOneAtATime(): FlowCheck {
  return {
    name: 'publish never runs twice at once',
    on: 'results',
    async run(ctx) {
      // A window: a summary_read, to the next summary_write of the same task run (or process, outside tasks).
      const overlaps = await ctx.session.queryObjects(`WITH w AS (
          SELECT r.seq, r.start_ms, r.task_run_name, r.flow_run_id, (SELECT min(x.at_ms) FROM ${ctx.eventsTable} x WHERE x.op = 'summary_write' AND x.seq > r.seq AND coalesce(x.task_run_id, x.pid::VARCHAR) = coalesce(r.task_run_id, r.pid::VARCHAR)) AS end_ms
          FROM ${ctx.eventsTable} r WHERE r.op = 'summary_read')
        SELECT a.task_run_name AS a, b.task_run_name AS b, a.flow_run_id <> b.flow_run_id AS across FROM w a JOIN w b ON a.seq < b.seq AND b.start_ms < coalesce(a.end_ms, a.start_ms) AND a.start_ms < coalesce(b.end_ms, b.start_ms) LIMIT 1`);
      if (overlaps.length) {
        const o = overlaps[0]!;
        return fail(`${String(o.a)} and ${String(o.b)}${o.across ? ', in two flow runs,' : ''} read the summary at the same time, so one's write lost the other's update: hold a lock around read-modify-write${o.across ? ' that two processes share (an in-process lock does not)' : ''} — Prefect's global concurrency limit \`summary\` (limit 1) is made for it`);
      }
      const n = Number(await ctx.session.scalar(`SELECT count(*) FROM ${ctx.eventsTable} WHERE op = 'summary_write'`));
      return n ? pass(`${n} publishes, one at a time`) : fail('the flow never published the summary (lab_flow.write_summary)');
    },
  };
}

/** The summary holds every day of every run once, with the day's revenue, and their total. */
export function expectSummaryOfRuns(opts: { value: string }): FlowCheck {
  return {
    name: 'the summary counts every day once',
    on: 'results',
    async run(ctx) {
      const summary = ctx.summary as { days?: Record<string, number>; total_cents?: number } | undefined;
      if (!summary?.days) return fail('no out/summary.json with a "days" object: publish with lab_flow.write_summary({"days": {...}, "total_cents": ...})');
      const expected = new Map((await ctx.session.queryObjects(`SELECT day::VARCHAR AS day, ${opts.value} AS v FROM ${ctx.referenceTable}`)).map((r) => [String(r.day), Number(r.v)]));
      const missing = [...expected.keys()].filter((d) => !(d in summary.days!)).sort();
      if (missing.length) return fail(`the summary lacks ${list(missing)}: a publish overwrote another's update (or never ran)`);
      const wrong = [...expected].filter(([d, v]) => Number(summary.days![d]) !== v);
      if (wrong.length) return fail(`the summary says ${wrong[0]![0]}: ${summary.days[wrong[0]![0]]}, its partition says ${wrong[0]![1]}`);
      const total = [...expected.values()].reduce((a, b) => a + b, 0);
      if (Number(summary.total_cents) !== total) return fail(`total_cents is ${summary.total_cents}, the days add up to ${total}: a day was added twice, or an update lost`);
      return pass(`${expected.size} days, total ${total}`);
    },
  };
}

/** Resume: the run during the outage failed (not swallowed), and the run after redid only what had failed. */
export function expectResumedFromFailure(): FlowCheck {
  return {
    name: 'a failed run is resumed, not redone',
    on: 'results',
    async run(ctx): Promise<CheckOutcome> {
      const down = await ctx.session.scalar<string | null>(`SELECT day::VARCHAR FROM faults WHERE outage LIMIT 1`);
      if (!down || ctx.runs.length < 2) return skipped('no outage in this scenario');
      const [first, second] = ctx.runs as [(typeof ctx.runs)[0], (typeof ctx.runs)[0]];
      if (first.state === 'COMPLETED') return fail(`the run during the outage of ${down} ended COMPLETED: the failure was swallowed, so nothing says the day is missing; let the task fail and the run with it`);
      const done = Number(await ctx.session.scalar(`SELECT count(DISTINCT day) FROM ${ctx.firstRunTable} WHERE day <> '${down}'::DATE`));
      const expected = Number(await ctx.session.scalar(`SELECT count(DISTINCT day) FROM ${ctx.referenceTable} WHERE day <> '${down}'::DATE`));
      if (done < expected) return fail(`the run during the outage wrote ${done} of the ${expected} days the source could give: one day's failure stopped the others; let independent days go on`);
      const again = await ctx.session.queryObjects(`SELECT DISTINCT day FROM ${ctx.eventsTable} WHERE op = 'read' AND ok AND flow_run_id = '${second.flowRunId}' AND day <> '${down}' ORDER BY day`);
      if (again.length) return fail(`the second run read ${list(again.map((r) => r.day))} again, which the first run had finished: resume — cache the day's task (cache_policy=INPUTS) or skip a day whose partition is complete — so only ${down} is redone`);
      return pass(`the outage failed the first run; the second redid ${down} only`);
    },
  };
}
