import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../datasets/docs/generate.js';

const digest = (seed: number) => crypto.createHash('sha256').update(JSON.stringify(generateCorpus(seed, 'small'))).digest('hex');

describe('the document corpus of the RAG lab', () => {
  const corpus = generateCorpus(42, 'small');
  const byId = new Map(corpus.docs.map((d) => [d.id, d]));

  it('is the same for the same seed, and another for another seed', () => {
    expect(digest(42)).toBe(digest(42));
    expect(digest(42)).not.toBe(digest(7));
  });

  it('holds hundreds of documents of every kind, Markdown and HTML, large enough for naive retrieval to fail', () => {
    expect(corpus.docs.length).toBeGreaterThan(500);
    expect(new Set(corpus.docs.map((d) => d.kind))).toEqual(new Set(['runbook', 'policy', 'handbook', 'meeting', 'table', 'faq']));
    expect(new Set(corpus.docs.map((d) => d.format))).toEqual(new Set(['md', 'html']));
    expect(corpus.docs.reduce((n, d) => n + d.text.length, 0)).toBeGreaterThan(400_000);
    expect(new Set(corpus.docs.map((d) => d.id)).size).toBe(corpus.docs.length);
  });

  it('every passage of an answerable question is a span of its document that says the answer', () => {
    const answerable = corpus.questions.filter((q) => q.answerable);
    expect(answerable.length).toBeGreaterThan(100);
    for (const q of answerable) {
      expect(q.passages.length, q.id).toBeGreaterThan(0);
      for (const p of q.passages) {
        const text = byId.get(p.doc_id)!.text.slice(p.start, p.end);
        expect(q.answer.endsWith(text) || text === q.answer, `${q.id}: '${text}' vs '${q.answer}'`).toBe(true);
      }
      expect(q.passages.some((p) => p.relevance === 2), q.id).toBe(true);
    }
  });

  it('plants the traps: superseded policy versions with other values, near-duplicate drafts, paraphrased questions, questions the documents cannot answer', () => {
    const policies = corpus.docs.filter((d) => d.kind === 'policy');
    const superseded = policies.filter((d) => d.meta.status === 'superseded');
    expect(superseded.length).toBeGreaterThanOrEqual(12);
    for (const q of corpus.questions.filter((x) => x.kind === 'policy')) {
      const topic = byId.get(q.passages[0]!.doc_id)!.meta.policy;
      const older = superseded.filter((d) => d.meta.policy === topic);
      expect(older.length, topic).toBeGreaterThan(0);
      for (const d of older) expect(d.text, topic).not.toContain(q.answer);
    }
    const drafts = corpus.docs.filter((d) => d.meta.status === 'draft');
    expect(drafts.length).toBeGreaterThan(5);
    for (const d of drafts) expect(corpus.docs.some((o) => o.meta.status === 'current' && o.meta.service === d.meta.service && o.kind === 'runbook')).toBe(true);
    const unanswerable = corpus.questions.filter((q) => !q.answerable);
    expect(unanswerable.length).toBeGreaterThanOrEqual(10);
    const all = corpus.docs.map((d) => d.text).join('\n');
    for (const q of unanswerable.filter((x) => /quasar|orbit|tundra|mosaic|pylon|Zephyr|Obsidian|Sequoia/.test(x.question))) {
      const name = /(quasar|orbit|tundra|mosaic|pylon)-\w+|Zephyr|Obsidian|Sequoia/.exec(q.question)![0];
      expect(all).not.toContain(name);
    }
    // Some questions share no word with their passage's key term: dense retrieval has something to win.
    expect(corpus.questions.some((q) => q.kind === 'lead' && q.question.includes('in charge'))).toBe(true);
  });

  it('an update batch edits a runbook (a port question changes its answer) and deletes a handbook (its questions become unanswerable)', () => {
    const [runbook, table] = corpus.update.edited;
    expect(runbook!.kind).toBe('runbook');
    expect(table!.kind).toBe('table');
    expect(runbook!.text).not.toBe(byId.get(runbook!.id)!.text);
    const changed = corpus.questions.filter((q) => q.afterUpdate?.answerable);
    expect(changed.length).toBeGreaterThan(0);
    for (const q of changed) for (const p of q.afterUpdate!.passages) expect(q.afterUpdate!.answer).toContain(corpus.update.edited.find((d) => d.id === p.doc_id)!.text.slice(p.start, p.end));
    const [gone] = corpus.update.deleted;
    expect(byId.get(gone!)!.kind).toBe('handbook');
    const orphaned = corpus.questions.filter((q) => q.passages.length && q.passages.every((p) => p.doc_id === gone));
    expect(orphaned.length).toBe(2);
    for (const q of orphaned) expect(q.afterUpdate).toEqual({ answer: '', passages: [], answerable: false });
  });

  it('holds out about 60 % of the questions, and a hidden seed has other values', () => {
    const held = corpus.questions.filter((q) => q.split === 'held_out').length / corpus.questions.length;
    expect(held).toBeGreaterThan(0.45);
    expect(held).toBeLessThan(0.75);
    const hidden = generateCorpus(1_234_567, 'small');
    const answers = (c: typeof corpus) => new Set(c.questions.filter((q) => q.kind === 'port').map((q) => `${q.question}→${q.answer}`));
    const overlap = [...answers(hidden)].filter((a) => answers(corpus).has(a));
    expect(overlap.length).toBeLessThan(3);
  });
});
