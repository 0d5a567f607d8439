/**
 * How retrieval is measured against labelled passages: a retrieved chunk answers a question when it
 * holds one of the question's passages whole (same document, and the passage's text inside the
 * chunk's, or its span inside the chunk's span when no text is kept). Each
 * passage counts once, at its first chunk.
 */

export interface Span {
  doc_id: string;
  start?: number;
  end?: number;
  /** The text itself: a chunk holds a passage when its text contains the passage's (offsets need not be kept). */
  text?: string;
}

export interface LabelledPassage extends Span {
  /** 2: where a reader would look; 1: says it in passing. */
  relevance: number;
}

export const holds = (chunk: Span, p: Span): boolean =>
  chunk.doc_id === p.doc_id && (chunk.text !== undefined && p.text !== undefined ? chunk.text.includes(p.text) : chunk.start! <= p.start! && chunk.end! >= p.end!);

/** The gain of each rank: the relevance of the passages first found there (a passage found again is no gain). */
function gains(ranked: Span[], passages: LabelledPassage[]): number[] {
  const found = new Set<number>();
  return ranked.map((chunk) => {
    let gain = 0;
    passages.forEach((p, i) => {
      if (!found.has(i) && holds(chunk, p)) {
        found.add(i);
        gain = Math.max(gain, p.relevance);
      }
    });
    return gain;
  });
}

/** Share of the question's passages held by the first k chunks. */
export function recallAt(k: number, ranked: Span[], passages: LabelledPassage[]): number {
  if (passages.length === 0) return 1;
  const top = ranked.slice(0, k);
  return passages.filter((p) => top.some((c) => holds(c, p))).length / passages.length;
}

/** 1 / the rank of the first chunk that holds a passage; 0 when none does. */
export function reciprocalRank(ranked: Span[], passages: LabelledPassage[]): number {
  const at = ranked.findIndex((c) => passages.some((p) => holds(c, p)));
  return at < 0 ? 0 : 1 / (at + 1);
}

/** nDCG@k with graded relevance (gain 2^rel − 1), against the ideal order of the passages. */
export function ndcgAt(k: number, ranked: Span[], passages: LabelledPassage[]): number {
  const dcg = (g: number[]) => g.slice(0, k).reduce((sum, rel, i) => sum + (2 ** rel - 1) / Math.log2(i + 2), 0);
  const ideal = dcg(passages.map((p) => p.relevance).sort((a, b) => b - a));
  return ideal === 0 ? 1 : dcg(gains(ranked, passages)) / ideal;
}

export interface RetrievalScores {
  questions: number;
  recallAt5: number;
  mrr: number;
  ndcgAt10: number;
}

/** Mean scores over answerable questions. */
export function scoreRetrieval(results: Array<{ ranked: Span[]; passages: LabelledPassage[] }>): RetrievalScores {
  const answerable = results.filter((r) => r.passages.length > 0);
  const mean = (f: (r: (typeof answerable)[number]) => number) => answerable.reduce((s, r) => s + f(r), 0) / Math.max(1, answerable.length);
  return {
    questions: answerable.length,
    recallAt5: mean((r) => recallAt(5, r.ranked, r.passages)),
    mrr: mean((r) => reciprocalRank(r.ranked, r.passages)),
    ndcgAt10: mean((r) => ndcgAt(10, r.ranked, r.passages)),
  };
}
