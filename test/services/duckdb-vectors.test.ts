import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDbVectorStore } from '../../src/services/duckdb-vectors.js';
import { scratchDir } from '../helpers.js';

const DIM = 8;
/** A unit vector pointing mostly along axis `i`. */
const axis = (i: number, tilt = 0.1) => {
  const v = Array.from({ length: DIM }, (_, j) => (j === i ? 1 : tilt));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const chunk = (id: string, doc_id: string, i: number, meta: Record<string, string> = {}) => ({ id, doc_id, start: 0, end: 10, text: `text of ${id}`, meta, vector: axis(i) });

describe('DuckDB vector store', () => {
  it('finds the nearest chunks by cosine, filters on metadata, upserts by id, deletes a document, and survives a reopen', async () => {
    const file = path.join(scratchDir('vectors'), 'vectors.duckdb');
    const store = await new DuckDbVectorStore(file, DIM).start();
    await store.upsert([chunk('a1', 'a', 0, { status: 'current' }), chunk('a2', 'a', 1, { status: 'current' }), chunk('b1', 'b', 0, { status: 'superseded' }), chunk('c1', 'c', 3)]);
    expect(await store.count()).toBe(4);
    const hits = await store.nearest(axis(0, 0.05), 2);
    expect(hits.map((h) => h.id).sort()).toEqual(['a1', 'b1']);
    expect(hits[0]!.score).toBeGreaterThan(0.99);
    expect((await store.nearest(axis(0, 0.05), 3, { status: 'current' })).map((h) => h.id)).toEqual(['a1', 'a2']);
    expect((await store.nearest(axis(0), 1))[0]!.meta).toEqual(expect.objectContaining({ status: expect.any(String) }));

    // Indexing again with the same ids leaves one copy of each.
    await store.upsert([{ ...chunk('a1', 'a', 3), text: 'edited' }]);
    expect(await store.count()).toBe(4);
    expect((await store.nearest(axis(3), 2)).map((h) => h.text)).toContain('edited');
    expect(await store.deleteDocument('a')).toBe(2);
    expect((await store.nearest(axis(1), 10)).map((h) => h.doc_id)).not.toContain('a');
    store.close();

    const again = await new DuckDbVectorStore(file, DIM).start();
    expect(await again.count()).toBe(2);
    again.close();
  });

  it('a vector of the wrong dimension, or a store made for another model: one line each', async () => {
    const file = path.join(scratchDir('vectors-dim'), 'vectors.duckdb');
    const store = await new DuckDbVectorStore(file, DIM).start();
    await expect(store.upsert([{ ...chunk('x', 'x', 0), vector: [1, 2, 3] }])).rejects.toThrow(/^chunk x's vector has 3 dimensions; the store holds 8\.$/);
    await expect(store.nearest([1, 0], 1)).rejects.toThrow(/^the query vector has 2 dimensions; the store holds 8\.$/);
    store.close();
    await expect(new DuckDbVectorStore(file, 384).start()).rejects.toThrow(/holds FLOAT\[8\] vectors, not FLOAT\[384\]: it was made with another embedding model/);
  });
});
