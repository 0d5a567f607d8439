/**
 * BM25 (Robertson–Spärck Jones, k1 1.2, b 0.75) over chunks, in memory: the keyword baseline the
 * RAG lab measures dense and hybrid retrieval against. DuckDB's fts extension is not bundled in the
 * npm package, so the index is this: terms, their document frequencies, each chunk's length.
 */

const K1 = 1.2;
const B = 0.75;

/** Lower-cased words and identifiers: `ledger-api` stays one term, and its parts are terms too. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const word of text.toLowerCase().match(/[a-z0-9]+(?:[-_/.][a-z0-9]+)*/g) ?? []) {
    out.push(word);
    if (/[-_/.]/.test(word)) out.push(...word.split(/[-_/.]/).filter(Boolean));
  }
  return out;
}

export class Bm25Index {
  private readonly postings = new Map<string, Array<[doc: number, tf: number]>>();
  private readonly lengths: number[] = [];
  private avgLength = 0;

  constructor(texts: string[]) {
    texts.forEach((text, i) => {
      const tf = new Map<string, number>();
      const words = terms(text);
      for (const w of words) tf.set(w, (tf.get(w) ?? 0) + 1);
      for (const [w, n] of tf) {
        let list = this.postings.get(w);
        if (!list) this.postings.set(w, (list = []));
        list.push([i, n]);
      }
      this.lengths.push(words.length);
    });
    this.avgLength = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, this.lengths.length);
  }

  /** The k best chunks for a query, by index, with their scores. */
  search(query: string, k: number): Array<{ index: number; score: number }> {
    const n = this.lengths.length;
    const scores = new Map<number, number>();
    for (const w of new Set(terms(query))) {
      const list = this.postings.get(w);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const [doc, tf] of list) {
        const norm = tf + K1 * (1 - B + (B * this.lengths[doc]!) / this.avgLength);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (K1 + 1)) / norm);
      }
    }
    return [...scores].map(([index, score]) => ({ index, score })).sort((a, b) => b.score - a.score || a.index - b.index).slice(0, k);
  }
}

/** Reciprocal rank fusion: each list gives 1 / (k + rank); the sums rank the union (k = 60, as in the paper). */
export function reciprocalRankFusion(lists: number[][], k = 60): number[] {
  const score = new Map<number, number>();
  for (const list of lists) list.forEach((id, rank) => score.set(id, (score.get(id) ?? 0) + 1 / (k + rank + 1)));
  return [...score].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([id]) => id);
}
