import { quoteLiteral } from '../sql.js';
import { fail, measured, pass, type ResultCheck, type StreamRunContext } from './define.js';

/**
 * Checks of a detector's output against the stream's labels (tables `labels(rule, card_id,
 * event_id)` and `planted(card_id, pattern, note)` of the dataset). Feedback names cards, not counts only.
 */

const EXAMPLES = 3;

const when = (col: string) => `strftime(${col}, '%H:%M:%S')`;

/** Recall (by card: a card with a labelled payment is caught when one of them is alerted) and precision (by alerted payment) of one rule. */
export function expectDetects(rule: string, opts: { recall?: number; precision?: number } = {}): Array<ResultCheck<StreamRunContext>> {
  const recallAt = opts.recall ?? 0.95;
  const precisionAt = opts.precision ?? 0.95;
  const r = quoteLiteral(rule);
  return [
    {
      name: `${rule}: catches the cards`,
      on: 'results',
      async run(ctx) {
        const rows = await ctx.session.queryObjects(
          `WITH alerted AS (SELECT DISTINCT event_id FROM ${ctx.alertsTable} WHERE valid AND rule = ${r}),
                cards AS (SELECT card_id, bool_or(event_id IN (SELECT event_id FROM alerted)) AS caught, min(event_id) AS first_event FROM labels WHERE rule = ${r} GROUP BY card_id)
           SELECT c.card_id, c.caught, ${when('p.event_time')} AS at, coalesce(pl.note, '') AS note
           FROM cards c JOIN payments p ON p.event_id = c.first_event AND p.seq = (SELECT min(seq) FROM payments q WHERE q.event_id = c.first_event)
           LEFT JOIN planted pl ON pl.card_id = c.card_id ORDER BY c.card_id`,
        );
        if (rows.length === 0) return fail(`the stream has no ${rule} case: the lab's data is wrong`);
        const missed = rows.filter((x) => !x.caught);
        const score = (rows.length - missed.length) / rows.length;
        const detail = missed.length
          ? `missed ${missed.length} of ${rows.length} ${rule} cards, e.g. ${missed.slice(0, EXAMPLES).map((m) => `card ${m.card_id} at ${m.at}${m.note ? ` (${m.note})` : ''}`).join('; ')}`
          : `all ${rows.length} ${rule} cards caught`;
        return measured(`${rule} recall`, score, recallAt, { detail });
      },
    },
    {
      name: `${rule}: no false alerts`,
      on: 'results',
      async run(ctx) {
        const rows = await ctx.session.queryObjects(
          `WITH alerted AS (SELECT DISTINCT event_id FROM ${ctx.alertsTable} WHERE valid AND rule = ${r})
           SELECT a.event_id, p.card_id, ${when('p.event_time')} AS at, l.event_id IS NOT NULL AS right, coalesce(pl.pattern || ': ' || pl.note, 'an everyday card') AS note
           FROM alerted a
           LEFT JOIN (SELECT DISTINCT event_id, card_id, event_time FROM payments) p USING (event_id)
           LEFT JOIN (SELECT event_id FROM labels WHERE rule = ${r}) l USING (event_id)
           LEFT JOIN planted pl ON pl.card_id = p.card_id ORDER BY a.event_id`,
        );
        if (rows.length === 0) return fail(`no ${rule} alert at all: the detector wrote nothing with "rule": "${rule}" to the alerts topic`);
        const wrong = rows.filter((x) => !x.right);
        const detail = wrong.length
          ? `${wrong.length} of ${rows.length} ${rule} alerts are false, e.g. ${wrong.slice(0, EXAMPLES).map((w) => (w.card_id ? `${w.event_id} (card ${w.card_id} at ${w.at}: ${w.note})` : `${w.event_id} (no such payment)`)).join('; ')}`
          : `${rows.length} ${rule} alerts, all right`;
        return measured(`${rule} precision`, (rows.length - wrong.length) / rows.length, precisionAt, { detail });
      },
    },
  ];
}

/** Every message on the alerts topic is a JSON object with event_id, rule and a numeric score. */
export function expectWellFormedAlerts(): ResultCheck<StreamRunContext> {
  return {
    name: 'alerts are well formed',
    on: 'results',
    async run(ctx) {
      const bad = await ctx.session.queryObjects(`SELECT raw FROM ${ctx.alertsTable} WHERE NOT valid LIMIT ${EXAMPLES}`);
      if (bad.length === 0) return pass('every alert has event_id, rule and score');
      const n = Number(await ctx.session.scalar(`SELECT count(*) FROM ${ctx.alertsTable} WHERE NOT valid`));
      return fail(`${n} messages on the alerts topic are not {"event_id", "rule", "score": number}, e.g. ${bad.map((b) => JSON.stringify(b.raw)).join(', ')}`);
    },
  };
}

/** At most one alert per payment and rule, whatever was delivered twice. */
export function expectNoDuplicateAlerts(): ResultCheck<StreamRunContext> {
  return {
    name: 'one alert per payment and rule',
    on: 'results',
    async run(ctx) {
      const rows = await ctx.session.queryObjects(`SELECT event_id, rule, count(*)::INTEGER AS n FROM ${ctx.alertsTable} WHERE valid GROUP BY ALL HAVING count(*) > 1 ORDER BY n DESC, event_id`);
      if (rows.length === 0) return pass('no payment alerted twice for one rule');
      return fail(
        `${rows.length} payments were alerted more than once, e.g. ${rows.slice(0, EXAMPLES).map((x) => `${x.event_id} (${x.rule}) ${x.n} times`).join('; ')}: payments are delivered again (a producer's retry, a restart from older offsets), so an alert must be written once per event_id and rule`,
      );
    },
  };
}

/** The dead-letter topic holds exactly the payments that arrived later than the allowed lateness. */
export function expectDeadLetters(): ResultCheck<StreamRunContext> {
  return {
    name: 'too-late payments, and only those, go to the dead-letter topic',
    on: 'results',
    async run(ctx) {
      const rows = await ctx.session.queryObjects(
        `WITH dead AS (SELECT DISTINCT event_id FROM ${ctx.deadLettersTable} WHERE valid), late AS (SELECT event_id FROM labels WHERE rule = 'too_late')
         SELECT coalesce(d.event_id, l.event_id) AS event_id, d.event_id IS NOT NULL AS sent, l.event_id IS NOT NULL AS late,
                (SELECT ${when('event_time')} FROM payments p WHERE p.event_id = coalesce(d.event_id, l.event_id) LIMIT 1) AS at,
                (SELECT round(max(epoch(arrived_at) - epoch(event_time)))::INTEGER FROM payments p WHERE p.event_id = coalesce(d.event_id, l.event_id)) AS delay_s
         FROM dead d FULL JOIN late l USING (event_id) ORDER BY event_id`,
      );
      const missed = rows.filter((x) => x.late && !x.sent);
      const extra = rows.filter((x) => x.sent && !x.late);
      const late = rows.filter((x) => x.late).length;
      if (late === 0) return fail('the stream has no too-late payment: the lab\'s data is wrong');
      if (!missed.length && !extra.length) return pass(`all ${late} too-late payments, and nothing else`);
      const parts: string[] = [];
      if (missed.length) parts.push(`${missed.length} of ${late} too-late payments not sent, e.g. ${missed.slice(0, EXAMPLES).map((m) => `${m.event_id} (event time ${m.at}, arrived ${m.delay_s} s later)`).join('; ')}`);
      if (extra.length) parts.push(`${extra.length} sent that were not too late, e.g. ${extra.slice(0, EXAMPLES).map((m) => `${m.event_id} (event time ${m.at ?? '?'}, ${m.delay_s ?? '?'} s after it)`).join('; ')}`);
      return fail(parts.join('; '));
    },
  };
}

/** After the scenario's fault, every alert the detector writes on a clean pass is still written. */
export function expectNothingLost(): ResultCheck<StreamRunContext> {
  return {
    name: 'no alert lost to the fault',
    on: 'results',
    async run(ctx) {
      if (!ctx.unharmedAlertsTable) return fail('this check needs a crash or rebalance scenario: the exercise is wrong');
      const rows = await ctx.session.queryObjects(
        `WITH lost AS (SELECT DISTINCT event_id, rule FROM ${ctx.unharmedAlertsTable} WHERE valid EXCEPT SELECT DISTINCT event_id, rule FROM ${ctx.alertsTable} WHERE valid)
         SELECT l.event_id, l.rule, p.card_id, ${when('p.event_time')} AS at FROM lost l LEFT JOIN (SELECT DISTINCT event_id, card_id, event_time FROM payments) p USING (event_id) ORDER BY p.event_time`,
      );
      const clean = Number(await ctx.session.scalar(`SELECT count(*) FROM (SELECT DISTINCT event_id, rule FROM ${ctx.unharmedAlertsTable} WHERE valid)`));
      if (clean === 0) return fail('it wrote no alert even without a fault, so nothing can be judged: solve the rule first');
      const what = ctx.incident ? `the grader ${ctx.incident}` : 'the fault';
      if (rows.length === 0) return pass(`all ${clean} alerts of a clean run written after ${what.replace(/^the grader /, '')}`);
      return fail(
        `lost ${rows.length} of ${clean} alerts: ${what}, and these were never written, e.g. ${rows.slice(0, EXAMPLES).map((r) => `${r.event_id} (${r.rule}, card ${r.card_id} at ${r.at})`).join('; ')}`,
      );
    },
  };
}

/**
 * Paced runs: the delay from a payment's send to its alert on the topic, p99 at most `p99Ms`
 * (the first alert per payment, measured from its latest delivery before it).
 */
export function expectLatency(opts: { p99Ms: number }): ResultCheck<StreamRunContext> {
  return {
    name: `alerts within ${opts.p99Ms} ms (p99)`,
    on: 'results',
    async run(ctx) {
      if (!ctx.deliveriesTable) return fail('this check needs a paced scenario: the exercise is wrong');
      const [row] = await ctx.session.queryObjects(
        `WITH first_alert AS (SELECT event_id, min(produced_at) AS at FROM ${ctx.alertsTable} WHERE valid GROUP BY event_id),
              delay AS (SELECT a.event_id, a.at - max(d.produced_at) AS ms FROM first_alert a JOIN ${ctx.deliveriesTable} d ON d.event_id = a.event_id AND d.produced_at <= a.at GROUP BY a.event_id, a.at)
         SELECT count(*)::INTEGER AS n, quantile_cont(ms, 0.5) AS p50, quantile_cont(ms, 0.99) AS p99, max(ms) AS worst, arg_max(event_id, ms) AS worst_event FROM delay`,
      );
      const n = Number(row?.n ?? 0);
      if (n === 0) return fail('no alert to time: the detector wrote no alert for a payment of the stream');
      const p50 = Math.round(Number(row!.p50));
      const p99 = Math.round(Number(row!.p99));
      const detail = `the grader ${ctx.incident ?? 'paced the stream'}: p50 ${p50} ms over ${n} alerts, the slowest ${row!.worst_event} written ${Math.round(Number(row!.worst))} ms after its payment was sent`;
      return measured('p99 ms from payment to alert', p99, opts.p99Ms, { lowerIsBetter: true, detail });
    },
  };
}

/**
 * A checkpointed job (Spark): its event-time watermark trails the newest event by at least the
 * allowed lateness (a late payment still counts) and by at most `atMostMs` (state is let go).
 */
export function expectWatermark(opts: { atLeastMs: number; atMostMs: number }): ResultCheck<StreamRunContext> {
  const s = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  return {
    name: `the watermark trails the newest event by ${s(opts.atLeastMs)} to ${s(opts.atMostMs)}`,
    on: 'results',
    async run(ctx) {
      if (ctx.watermarkMs === undefined || ctx.newestEventMs === undefined) return fail('this check needs a checkpointed (Spark) detector: the exercise is wrong');
      if (ctx.watermarkMs <= 0) return fail('the job has no event-time watermark (withWatermark on event_time): Spark cannot tell when a window is complete, and keeps every window and every event id in its state forever');
      const lag = ctx.newestEventMs - ctx.watermarkMs;
      if (lag < 0) return fail(`the watermark is ${s(-lag)} past the newest payment's event time: it is set on another column than event_time (a broker's or a wall clock's time), so it says nothing about how late a payment is`);
      if (lag < opts.atLeastMs) return fail(`the watermark trails the newest event by ${s(lag)}, less than the allowed lateness of ${s(opts.atLeastMs)}: a payment ${s(lag)}–${s(opts.atLeastMs)} late is dropped from its windows, though it must still count`);
      if (lag > opts.atMostMs) return fail(`the watermark trails the newest event by ${s(lag)}: state is kept longer than the ${s(opts.atLeastMs)} of allowed lateness needs (at most ${s(opts.atMostMs)})`);
      return pass(`the watermark trails the newest event by ${s(lag)}`);
    },
  };
}
