/** The naive chunker, the baseline the lab's chunking exercise improves on: fixed windows of characters. */

export interface Chunk {
  doc_id: string;
  start: number;
  end: number;
  text: string;
}

/** Windows of `size` characters, `overlap` of them shared with the next; blind to headings and sentences. */
export function fixedSizeChunks(doc: { id: string; text: string }, size: number, overlap = 0): Chunk[] {
  const out: Chunk[] = [];
  const step = Math.max(1, size - overlap);
  for (let start = 0; start < doc.text.length; start += step) {
    const end = Math.min(doc.text.length, start + size);
    out.push({ doc_id: doc.id, start, end, text: doc.text.slice(start, end) });
    if (end === doc.text.length) break;
  }
  return out;
}
