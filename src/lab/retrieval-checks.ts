/**
 * Checks for RAG pipelines, judged against the dataset's labelled passages on the held-out
 * questions: a retrieved chunk answers when it is of the passage's document and its text holds the
 * passage's text. Feedback names the questions missed and what came first instead (on the learner's
 * seed; the hidden seed says how many).
 */
import { errored, fail, measured, outcome, pass, type CheckOutcome, type ResultCheck, type RetrievalRunContext } from './define.js';
import { holds, ndcgAt, recallAt, reciprocalRank, type LabelledPassage } from '../rag/metrics.js';
import { quoteIdentifier } from '../sql.js';

type Check = ResultCheck<RetrievalRunContext>;

interface Hit {
  chunk_id: string;
  doc_id: string;
  text: string;
  path: string;
  status: string;
  kind: string;
  known: boolean;
}

export interface Judged {
  id: string;
  question: string;
  kind: string;
  answerable: boolean;
  ranked: Hit[];
  passages: LabelledPassage[];
}

export type Metric = 'recallAt5' | 'mrr' | 'ndcgAt10';
const METRIC_NAMES: Record<Metric, string> = { recallAt5: 'recall@5', mrr: 'MRR', ndcgAt10: 'nDCG@10' };
const METRICS: Record<Metric, (q: Judged) => number> = {
  recallAt5: (q) => recallAt(5, q.ranked, q.passages),
  mrr: (q) => reciprocalRank(q.ranked, q.passages),
  ndcgAt10: (q) => ndcgAt(10, q.ranked, q.passages),
};

/** The held-out questions with what a results table ranked for each, joined to the store's chunks. */
export async function judged(ctx: RetrievalRunContext, opts: { results?: string; chunks?: string; after?: boolean; allSplits?: boolean } = {}): Promise<Judged[]> {
  const results = opts.results ?? ctx.learnerTable;
  const chunks = opts.chunks ?? ctx.chunksTable;
  const s = ctx.session;
  const questions = await s.queryObjects(`SELECT question_id, question, kind, ${opts.after ? 'answerable_after' : 'answerable'} AS answerable FROM questions WHERE ${opts.allSplits ? 'true' : "split = 'held_out'"} ORDER BY question_id`);
  const passages = await s.queryObjects(`SELECT question_id, doc_id, text, relevance FROM ${opts.after ? 'passages_after' : 'passages'} ORDER BY question_id, doc_id`);
  const hits = await s.queryObjects(`SELECT r.question_id, r.rank, r.chunk_id, c.doc_id, c.text, d.path, d.status, d.kind, c.chunk_id IS NOT NULL AS known
    FROM ${quoteIdentifier(results)} r LEFT JOIN ${quoteIdentifier(chunks)} c USING (chunk_id) LEFT JOIN documents d ON d.doc_id = c.doc_id
    ORDER BY r.question_id, r.rank`);
  const byQuestion = new Map<string, Judged>();
  for (const q of questions) byQuestion.set(String(q.question_id), { id: String(q.question_id), question: String(q.question), kind: String(q.kind), answerable: Boolean(q.answerable), ranked: [], passages: [] });
  for (const p of passages) byQuestion.get(String(p.question_id))?.passages.push({ doc_id: String(p.doc_id), text: String(p.text), relevance: Number(p.relevance) });
  for (const h of hits) byQuestion.get(String(h.question_id))?.ranked.push({ chunk_id: String(h.chunk_id), doc_id: String(h.doc_id ?? ''), text: String(h.text ?? ''), path: String(h.path ?? '?'), status: String(h.status ?? ''), kind: String(h.kind ?? ''), known: Boolean(h.known) });
  return [...byQuestion.values()];
}

export function score(questions: Judged[], metric: Metric): number {
  const answerable = questions.filter((q) => q.answerable && q.passages.length > 0);
  return answerable.reduce((sum, q) => sum + METRICS[metric](q), 0) / Math.max(1, answerable.length);
}

const short = (text: string, n = 70) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/** "q-0012 'Which port …?' (first: runbooks/ledger-worker.md)" for the first few questions whose answer is not in the top k. */
function missed(ctx: RetrievalRunContext, questions: Judged[], k: number): string {
  const misses = questions.filter((q) => q.answerable && q.passages.length > 0 && !q.ranked.slice(0, k).some((c) => q.passages.some((p) => holds(c, p))));
  if (misses.length === 0) return '';
  if (ctx.hidden) return `${misses.length} of ${questions.filter((q) => q.answerable).length} answerable questions without their answer in the top ${k} on ${ctx.dataset}`;
  const named = misses.slice(0, 3).map((q) => `${q.id} '${short(q.question, 60)}' (first: ${q.ranked[0]?.path ?? 'nothing'}, answer in ${q.passages[0]!.doc_id})`);
  return `missed ${misses.length}, e.g. ${named.join('; ')}`;
}

/** Every id retrieve() returns is a chunk the store holds. */
export function expectKnownIds(opts: { after?: boolean } = {}): Check {
  return {
    name: 'retrieve() returns ids of stored chunks',
    on: 'results',
    async run(ctx) {
      const results = opts.after ? ctx.resultsAfterTable! : ctx.learnerTable;
      const chunks = opts.after ? ctx.chunksAfterTable! : ctx.chunksTable;
      const unknown = await ctx.session.queryObjects(`SELECT r.chunk_id, q.question FROM ${quoteIdentifier(results)} r JOIN questions q USING (question_id) ANTI JOIN ${quoteIdentifier(chunks)} c USING (chunk_id) ORDER BY r.question_id, r.rank`);
      const empty = Number(await ctx.session.scalar(`SELECT count(*) FROM questions q WHERE q.answerable AND NOT EXISTS (SELECT 1 FROM ${quoteIdentifier(results)} r WHERE r.question_id = q.question_id)`));
      if (unknown.length) return fail(`retrieve() returned ${unknown.length} ids the store does not hold, e.g. '${short(String(unknown[0]!.chunk_id), 60)}' for '${short(String(unknown[0]!.question))}': return the ids (or hits) the store gave you`);
      if (empty) return fail(`retrieve() returned nothing for ${empty} questions the documents answer`);
      return pass(`every id names a stored chunk (${await ctx.session.scalar(`SELECT count(*) FROM ${quoteIdentifier(results)}`)} results)`);
    },
  };
}

/** Measured retrieval on the held-out questions: one check per metric, each against its threshold. */
export function expectRetrieval(thresholds: Partial<Record<Metric, number>>, opts: { kinds?: string[]; label?: string } = {}): Check[] {
  return (Object.entries(thresholds) as Array<[Metric, number]>).map(([metric, threshold]) => ({
    name: `${METRIC_NAMES[metric]} ≥ ${threshold.toFixed(2)} on the held-out ${opts.label ?? 'questions'}`,
    on: 'results' as const,
    async run(ctx: RetrievalRunContext): Promise<CheckOutcome> {
      const questions = (await judged(ctx)).filter((q) => !opts.kinds || opts.kinds.includes(q.kind));
      const value = score(questions, metric);
      const ok = value >= threshold;
      return measured(METRIC_NAMES[metric], value, threshold, ok ? {} : { detail: missed(ctx, questions, metric === 'recallAt5' ? 5 : metric === 'mrr' ? 1 : 10) });
    },
  }));
}

/** The exercise's retriever beats the lab's dense-only and BM25-only baselines on the learner's own chunks. */
export function expectBeatsBaselines(metric: Metric, opts: { by?: number } = {}): Check {
  const by = opts.by ?? 0.01;
  return {
    name: `${METRIC_NAMES[metric]} beats dense-only and BM25-only retrieval on the same chunks by ${by.toFixed(2)}`,
    on: 'results',
    async run(ctx) {
      if (!ctx.denseTable || !ctx.bm25Table) return errored('the baselines did not run (the exercise must set `baselines: true`)');
      const mine = score(await judged(ctx), metric);
      const dense = score(await judged(ctx, { results: ctx.denseTable }), metric);
      const bm25 = score(await judged(ctx, { results: ctx.bm25Table }), metric);
      const best = Math.max(dense, bm25);
      const detail = `yours ${mine.toFixed(3)}, dense only ${dense.toFixed(3)}, BM25 only ${bm25.toFixed(3)}`;
      return outcome(mine >= best + by, mine >= best + by ? detail : `${detail}: fuse the two rankings so each makes up for the other's misses`);
    },
  };
}

/** Chunks short enough for the model to read whole (it stops at 256 tokens). */
export function expectChunkSize(opts: { maxChars: number }): Check {
  return {
    name: `no chunk is longer than ${opts.maxChars} characters`,
    on: 'results',
    async run(ctx) {
      const [row] = await ctx.session.queryObjects(`SELECT count(*) AS chunks, count(*) FILTER (WHERE length(text) > ${opts.maxChars}) AS long, max(length(text)) AS longest, arg_max(doc_id, length(text)) AS doc FROM ${quoteIdentifier(ctx.chunksTable)}`);
      const long = Number(row!.long);
      if (Number(row!.chunks) === 0) return fail('index() stored no chunks');
      return outcome(long === 0, long === 0 ? `${row!.chunks} chunks, the longest ${row!.longest} characters` : `${long} of ${row!.chunks} chunks are longer, up to ${row!.longest} characters (${row!.doc}): the model reads the first 256 tokens (~1,000 characters) and ignores the rest`);
    },
  };
}

/** Every labelled fact is whole in at least one stored chunk: no boundary cuts it in half. */
export function expectFactsWhole(opts: { atLeast: number }): Check {
  return {
    name: `at least ${Math.round(opts.atLeast * 100)} % of the labelled facts are whole in one chunk`,
    on: 'results',
    async run(ctx) {
      const [row] = await ctx.session.queryObjects(`SELECT count(*) AS facts, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ${quoteIdentifier(ctx.chunksTable)} c WHERE c.doc_id = p.doc_id AND contains(c.text, p.text))) AS whole,
          arg_min(p.text, (EXISTS (SELECT 1 FROM ${quoteIdentifier(ctx.chunksTable)} c WHERE c.doc_id = p.doc_id AND contains(c.text, p.text)))::INTEGER) AS example
        FROM (SELECT DISTINCT doc_id, text FROM passages) p`);
      const share = Number(row!.whole) / Math.max(1, Number(row!.facts));
      return measured('share of facts whole', share, opts.atLeast, share >= opts.atLeast ? {} : { detail: `${Number(row!.facts) - Number(row!.whole)} of ${row!.facts} are cut by a chunk boundary, e.g. '${short(String(row!.example), 50)}'` });
    },
  };
}

/** For policy questions: only the version in force comes back (superseded versions state other values). */
export function expectOnlyInForce(opts: { k?: number } = {}): Check {
  const k = opts.k ?? 5;
  return {
    name: `no superseded policy version in the top ${k}`,
    on: 'results',
    async run(ctx) {
      const questions = (await judged(ctx)).filter((q) => q.kind === 'policy');
      const stale = questions.filter((q) => q.ranked.slice(0, k).some((c) => c.status === 'superseded'));
      if (stale.length === 0) return pass(`${questions.length} held-out policy questions, none retrieves a superseded version`);
      const e = stale[0]!;
      return fail(`${stale.length} of ${questions.length} policy questions retrieve a superseded version${ctx.hidden ? ` on ${ctx.dataset}` : `, e.g. '${short(e.question)}' → ${e.ranked.slice(0, k).find((c) => c.status === 'superseded')!.path}`}: store each chunk's status and filter on it`);
    },
  };
}

/** Citations resolve: each names a stored chunk whose text holds the quote, word for word. */
export function expectCitationsResolve(): Check {
  return {
    name: 'every citation names a stored chunk that holds its quote',
    on: 'results',
    async run(ctx) {
      if (!ctx.citationsTable) return errored('answer() did not run (the exercise must set `answers: true`)');
      const [row] = await ctx.session.queryObjects(`SELECT count(*) AS citations,
          count(*) FILTER (WHERE c.chunk_id IS NULL) AS unknown,
          count(*) FILTER (WHERE c.chunk_id IS NOT NULL AND NOT contains(c.text, x.quote)) AS misquoted,
          count(*) FILTER (WHERE length(trim(x.quote)) < 8) AS empty,
          arg_max(x.chunk_id, (c.chunk_id IS NULL)::INTEGER) AS unknown_example,
          arg_max(x.quote, (c.chunk_id IS NOT NULL AND NOT contains(c.text, x.quote))::INTEGER) AS misquoted_example
        FROM ${quoteIdentifier(ctx.citationsTable)} x LEFT JOIN ${quoteIdentifier(ctx.chunksTable)} c USING (chunk_id)`);
      const answered = Number(await ctx.session.scalar(`SELECT count(*) FROM ${quoteIdentifier(ctx.answersTable!)} a WHERE NOT a.abstained AND NOT EXISTS (SELECT 1 FROM ${quoteIdentifier(ctx.citationsTable)} x WHERE x.question_id = a.question_id)`));
      if (Number(row!.unknown)) return fail(`${row!.unknown} of ${row!.citations} citations name a chunk the store does not hold, e.g. '${short(String(row!.unknown_example), 50)}'`);
      if (Number(row!.misquoted)) return fail(`${row!.misquoted} of ${row!.citations} quotes are not word for word in the chunk they cite, e.g. '${short(String(row!.misquoted_example), 60)}'`);
      if (Number(row!.empty)) return fail(`${row!.empty} quotes are empty or a few characters: quote the sentence that answers`);
      if (answered) return fail(`${answered} answers cite nothing: every answer cites the chunk it comes from`);
      return pass(`${row!.citations} citations, each resolves to its chunk`);
    },
  };
}

/** Answers are grounded: on the answerable held-out questions, a citation quotes the planted fact. */
export function expectGroundedAnswers(opts: { atLeast: number }): Check {
  return {
    name: `at least ${Math.round(opts.atLeast * 100)} % of the answers quote the passage that answers`,
    on: 'results',
    async run(ctx) {
      if (!ctx.citationsTable) return errored('answer() did not run (the exercise must set `answers: true`)');
      const rows = await ctx.session.queryObjects(`SELECT q.question_id, q.question,
          EXISTS (SELECT 1 FROM ${quoteIdentifier(ctx.citationsTable)} x JOIN ${quoteIdentifier(ctx.chunksTable)} c USING (chunk_id) JOIN passages p ON p.question_id = x.question_id AND p.doc_id = c.doc_id
                  WHERE x.question_id = q.question_id AND contains(x.quote, p.text) AND contains(c.text, x.quote)) AS grounded
        FROM questions q WHERE q.split = 'held_out' AND q.answerable ORDER BY q.question_id`);
      const share = rows.filter((r) => r.grounded).length / Math.max(1, rows.length);
      const miss = rows.find((r) => !r.grounded);
      return measured('grounded answers', share, opts.atLeast, share >= opts.atLeast || !miss ? {} : { detail: ctx.hidden ? `on ${ctx.dataset}` : `e.g. '${short(String(miss.question))}' cites no sentence holding its answer` });
    },
  };
}

/** "Not in the documents": the abstain decision's precision and recall on the held-out questions. */
export function expectAbstains(opts: { precision: number; recall: number }): Check[] {
  const stats = async (ctx: RetrievalRunContext) => {
    const rows = await ctx.session.queryObjects(`SELECT q.question_id, q.question, q.answerable, coalesce(a.abstained, false) AS abstained FROM questions q LEFT JOIN ${quoteIdentifier(ctx.answersTable!)} a USING (question_id) WHERE q.split = 'held_out' ORDER BY q.question_id`);
    const abstained = rows.filter((r) => r.abstained);
    const right = abstained.filter((r) => !r.answerable);
    const unanswerable = rows.filter((r) => !r.answerable);
    return { rows, abstained, right, unanswerable };
  };
  return [
    {
      name: `"not in the documents" for questions they cannot answer (recall ≥ ${opts.recall.toFixed(2)})`,
      on: 'results',
      async run(ctx) {
        if (!ctx.answersTable) return errored('answer() did not run');
        const s = await stats(ctx);
        const recall = s.right.length / Math.max(1, s.unanswerable.length);
        const miss = s.unanswerable.find((r) => !r.abstained);
        return measured('recall of "not in the documents"', recall, opts.recall, recall >= opts.recall || !miss ? {} : { detail: `${s.unanswerable.length - s.right.length} of ${s.unanswerable.length} answered anyway${ctx.hidden ? '' : `, e.g. '${short(String(miss.question))}'`}` });
      },
    },
    {
      name: `and an answer for questions they can (precision ≥ ${opts.precision.toFixed(2)})`,
      on: 'results',
      async run(ctx) {
        if (!ctx.answersTable) return errored('answer() did not run');
        const s = await stats(ctx);
        const precision = s.abstained.length === 0 ? 0 : s.right.length / s.abstained.length;
        const wrong = s.abstained.find((r) => r.answerable);
        const detail = s.abstained.length === 0 ? 'it never says "not in the documents"' : wrong ? `${s.abstained.length - s.right.length} answerable questions got "not in the documents"${ctx.hidden ? '' : `, e.g. '${short(String(wrong.question))}'`}` : '';
        return measured('precision of "not in the documents"', precision, opts.precision, precision >= opts.precision ? {} : { detail });
      },
    },
  ];
}

/** Running index() again on the same documents adds nothing: deterministic ids, upserts. */
export function expectIdempotentIndex(): Check {
  return {
    name: 'index() run twice on the same documents stores each chunk once',
    on: 'results',
    async run(ctx) {
      const { afterIndex, afterReindex } = ctx.counts;
      if (afterReindex === undefined) return errored('index() was not run twice (the exercise must set `update: true`)');
      const dupes = Number(await ctx.session.scalar(`SELECT count(*) - count(DISTINCT (doc_id, text)) FROM ${quoteIdentifier(ctx.chunksTable)}`));
      if (afterReindex !== afterIndex) return fail(`the store held ${afterIndex} chunks after index(), ${afterReindex} after running it again: derive each chunk's id from what it is (e.g. uuid5 of document and position), not uuid4()`);
      if (dupes > 0) return fail(`${dupes} chunks are stored twice under different ids`);
      return pass(`${afterIndex} chunks both times`);
    },
  };
}

/** update(): the edited documents replace their old chunks (none stale), the deleted ones leave the store and every answer. */
export function expectUpdateApplied(): Check[] {
  return [
    {
      name: 'a deleted document is gone from the store and from every result',
      on: 'results',
      async run(ctx) {
        if (!ctx.chunksAfterTable) return errored('update() did not run');
        const stored = Number(await ctx.session.scalar(`SELECT count(*) FROM ${quoteIdentifier(ctx.chunksAfterTable)} WHERE doc_id IN (SELECT doc_id FROM deleted_documents)`));
        const returned = Number(await ctx.session.scalar(`SELECT count(*) FROM ${quoteIdentifier(ctx.resultsAfterTable!)} r JOIN ${quoteIdentifier(ctx.chunksTable)} c USING (chunk_id) WHERE c.doc_id IN (SELECT doc_id FROM deleted_documents)`));
        const path = String(await ctx.session.scalar('SELECT string_agg(path, \', \') FROM documents WHERE doc_id IN (SELECT doc_id FROM deleted_documents)'));
        if (stored) return fail(`${stored} chunks of the deleted ${path} are still stored: delete every chunk of a deleted document`);
        if (returned) return fail(`results after update() still return ${returned} chunks of the deleted ${path}`);
        return pass(`${path}: no chunk stored, none returned`);
      },
    },
    {
      name: 'an edited document keeps no stale chunk',
      on: 'results',
      async run(ctx) {
        if (!ctx.chunksAfterTable) return errored('update() did not run');
        const stale = await ctx.session.queryObjects(`SELECT d.path, s.text FROM stale_texts s JOIN documents d USING (doc_id) WHERE EXISTS (SELECT 1 FROM ${quoteIdentifier(ctx.chunksAfterTable)} c WHERE c.doc_id = s.doc_id AND contains(c.text, s.text)) ORDER BY d.path`);
        const dupes = Number(await ctx.session.scalar(`SELECT count(*) - count(DISTINCT (doc_id, text)) FROM ${quoteIdentifier(ctx.chunksAfterTable)}`));
        if (stale.length) return fail(`${stale.length} passages the edit removed are still stored, e.g. '${short(String(stale[0]!.text), 50)}' in ${stale[0]!.path}: an edited document's old chunks must go before its new ones come in`);
        if (dupes > 0) return fail(`${dupes} chunks are stored twice after update(): the edited document's chunk count changed, and old ids were left behind`);
        return pass('the edited documents hold only their new text');
      },
    },
    {
      name: 'questions about the edited document find its new answer',
      on: 'results',
      async run(ctx) {
        if (!ctx.resultsAfterTable) return errored('update() did not run');
        const qs = (await judged(ctx, { results: ctx.resultsAfterTable, chunks: ctx.chunksAfterTable, after: true, allSplits: true })).filter((q) => q.answerable);
        const edited = new Set((await ctx.session.queryObjects('SELECT doc_id FROM updated_documents')).map((r) => String(r.doc_id)));
        const about = qs.filter((q) => q.passages.some((p) => edited.has(p.doc_id)));
        if (about.length === 0) return errored('no question asks about the edited documents: the dataset lacks its trap');
        const found = about.filter((q) => q.ranked.slice(0, 5).some((c) => q.passages.some((p) => holds(c, p))));
        return outcome(found.length === about.length, `${found.length} of ${about.length} find the new text in their top 5`);
      },
    },
  ];
}
