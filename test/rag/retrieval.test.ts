import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../datasets/docs/generate.js';
import { Bm25Index, reciprocalRankFusion, terms } from '../../src/rag/bm25.js';
import { fixedSizeChunks } from '../../src/rag/chunk.js';
import { ndcgAt, recallAt, reciprocalRank, scoreRetrieval } from '../../src/rag/metrics.js';

const chunk = (doc_id: string, start: number, end: number) => ({ doc_id, start, end });

describe('retrieval metrics against labelled passages', () => {
  const passages = [
    { doc_id: 'a', start: 10, end: 20, relevance: 2 },
    { doc_id: 'b', start: 0, end: 5, relevance: 1 },
  ];

  it('a chunk answers only when it holds a passage whole, in the same document', () => {
    expect(recallAt(5, [chunk('a', 0, 15)], passages)).toBe(0);
    expect(recallAt(5, [chunk('c', 0, 100)], passages)).toBe(0);
    expect(recallAt(5, [chunk('a', 5, 25)], passages)).toBe(0.5);
    expect(recallAt(1, [chunk('x', 0, 9), chunk('a', 5, 25), chunk('b', 0, 9)], passages)).toBe(0);
    expect(recallAt(3, [chunk('x', 0, 9), chunk('a', 5, 25), chunk('b', 0, 9)], passages)).toBe(1);
  });

  it('MRR is one over the first answering rank; nDCG is 1 for the ideal order and less otherwise', () => {
    expect(reciprocalRank([chunk('x', 0, 9), chunk('x', 9, 20), chunk('b', 0, 9)], passages)).toBeCloseTo(1 / 3);
    expect(reciprocalRank([chunk('x', 0, 9)], passages)).toBe(0);
    expect(ndcgAt(10, [chunk('a', 0, 30), chunk('b', 0, 9)], passages)).toBeCloseTo(1);
    const swapped = ndcgAt(10, [chunk('b', 0, 9), chunk('a', 0, 30)], passages);
    expect(swapped).toBeLessThan(1);
    expect(swapped).toBeGreaterThan(0.5);
    // The same passage found twice is no gain the second time.
    expect(ndcgAt(10, [chunk('b', 0, 9), chunk('b', 0, 9)], passages)).toBeLessThan(ndcgAt(10, [chunk('b', 0, 9), chunk('a', 0, 30)], passages));
  });

  it('means over answerable questions only', () => {
    const s = scoreRetrieval([
      { ranked: [chunk('a', 0, 30)], passages },
      { ranked: [], passages: [] },
    ]);
    expect(s).toMatchObject({ questions: 1, recallAt5: 0.5, mrr: 1 });
  });
});

describe('BM25 and reciprocal rank fusion', () => {
  it('keeps identifiers whole and splits them too', () => {
    expect(terms('Restart ledger-api, then fx_worker.')).toEqual(['restart', 'ledger-api', 'ledger', 'api', 'then', 'fx_worker', 'fx', 'worker']);
  });

  it('ranks the chunk with the rare query term first', () => {
    const index = new Bm25Index(['the ledger-api listens on port 7001', 'the payout-worker listens on port 7002', 'the team meets on monday']);
    expect(index.search('which port does ledger-api listen on', 3).map((r) => r.index)[0]).toBe(0);
    expect(index.search('payout-worker', 3).map((r) => r.index)).toEqual([1]);
  });

  it('fuses rankings: what both lists rank high comes first', () => {
    expect(reciprocalRankFusion([[1, 2, 3], [3, 1, 4]])).toEqual([1, 3, 2, 4]);
  });

  it('on the lab corpus, keyword search over naive fixed-size chunks misses much of the held-out set: the lab has something to teach', () => {
    for (const seed of [42, 1_234_567]) {
      const corpus = generateCorpus(seed, 'small');
      const chunks = corpus.docs.flatMap((d) => fixedSizeChunks(d, 300));
      const index = new Bm25Index(chunks.map((c) => c.text));
      const held = corpus.questions.filter((q) => q.split === 'held_out' && q.answerable);
      const scores = scoreRetrieval(held.map((q) => ({ ranked: index.search(q.question, 10).map((r) => chunks[r.index]!), passages: q.passages })));
      expect(scores.questions).toBeGreaterThan(80);
      expect(scores.recallAt5, `seed ${seed}`).toBeLessThan(0.6);
      expect(scores.recallAt5, `seed ${seed}`).toBeGreaterThan(0.2);
    }
  });
});
