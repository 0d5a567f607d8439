/**
 * The local runtime's vector store: document chunks with their embeddings in a DuckDB file,
 * searched by cosine similarity (`array_cosine_similarity` over FLOAT[dim] arrays, an exact scan:
 * at a few thousand chunks it is milliseconds, and the lesson compares it with Weaviate's HNSW).
 * A `DuckDbVectorStore` knows its file and dimension; started, it upserts, deletes and searches.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { LabError } from '../errors.js';
import { quoteLiteral } from '../sql.js';

export const CHUNKS_TABLE = 'chunks';

export interface StoredChunk {
  /** Deterministic (e.g. a UUIDv5 of document and position): upserting it again replaces it. */
  id: string;
  doc_id: string;
  start: number;
  end: number;
  text: string;
  /** Filterable metadata (status, version, team…), kept as text. */
  meta: Record<string, string | number | undefined>;
  vector: Float32Array | number[];
}

export interface Hit {
  id: string;
  doc_id: string;
  start: number;
  end: number;
  text: string;
  meta: Record<string, string>;
  score: number;
}

export class DuckDbVectorStore {
  constructor(
    readonly file: string,
    readonly dim: number,
  ) {}

  /** Opens (or creates) the store; a file made for another dimension is refused in one line. */
  async start(): Promise<StartedDuckDbVectors> {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const instance = await DuckDBInstance.create(this.file);
    const connection = await instance.connect();
    await connection.run(
      `CREATE TABLE IF NOT EXISTS ${CHUNKS_TABLE} (id VARCHAR PRIMARY KEY, doc_id VARCHAR NOT NULL, start_at INTEGER, end_at INTEGER, text VARCHAR, meta MAP(VARCHAR, VARCHAR), vector FLOAT[${this.dim}] NOT NULL)`,
    );
    const type = (await connection.runAndReadAll(`SELECT data_type FROM information_schema.columns WHERE table_name = '${CHUNKS_TABLE}' AND column_name = 'vector'`)).getRowsJS()[0]?.[0];
    if (type !== `FLOAT[${this.dim}]`) {
      connection.closeSync();
      instance.closeSync();
      throw new LabError(`The vector store ${this.file} holds ${type} vectors, not FLOAT[${this.dim}]: it was made with another embedding model.`, 'Delete it (or `lab reset`) and index again.');
    }
    return new StartedDuckDbVectors(instance, connection, this.dim, this.file);
  }
}

export class StartedDuckDbVectors {
  constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly dim: number,
    readonly file: string,
  ) {}

  private check(vector: ArrayLike<number>, what: string): void {
    if (vector.length !== this.dim) throw new LabError(`${what} has ${vector.length} dimensions; the store holds ${this.dim}.`, 'Embed with the lab\'s model (the embedder), the same for chunks and questions.');
  }

  /** Inserts the chunks, replacing those with the same id: indexing twice leaves one copy. */
  async upsert(chunks: StoredChunk[]): Promise<void> {
    if (chunks.length === 0) return;
    for (const c of chunks) this.check(c.vector, `chunk ${c.id}'s vector`);
    // Through a file: DuckDB reads a few thousand 384-float rows in one statement far faster than it parses literals.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lab-vectors-')), 'chunks.ndjson');
    try {
      fs.writeFileSync(
        file,
        chunks
          .map((c) =>
            JSON.stringify({ id: c.id, doc_id: c.doc_id, start_at: c.start, end_at: c.end, text: c.text, meta: Object.fromEntries(Object.entries(c.meta).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])), vector: Array.from(c.vector) }),
          )
          .join('\n') + '\n',
      );
      await this.connection.run(
        `INSERT OR REPLACE INTO ${CHUNKS_TABLE} SELECT id, doc_id, start_at, end_at, text, meta, vector FROM read_json(${quoteLiteral(file)}, format = 'newline_delimited', columns = {id: 'VARCHAR', doc_id: 'VARCHAR', start_at: 'INTEGER', end_at: 'INTEGER', text: 'VARCHAR', meta: 'MAP(VARCHAR, VARCHAR)', vector: 'FLOAT[${this.dim}]'})`,
      );
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  }

  /** Removes every chunk of a document; returns how many there were. */
  async deleteDocument(docId: string): Promise<number> {
    const n = Number((await this.connection.runAndReadAll(`SELECT count(*) FROM ${CHUNKS_TABLE} WHERE doc_id = ${quoteLiteral(docId)}`)).getRowsJS()[0]?.[0] ?? 0);
    await this.connection.run(`DELETE FROM ${CHUNKS_TABLE} WHERE doc_id = ${quoteLiteral(docId)}`);
    return n;
  }

  async count(): Promise<number> {
    return Number((await this.connection.runAndReadAll(`SELECT count(*) FROM ${CHUNKS_TABLE}`)).getRowsJS()[0]?.[0] ?? 0);
  }

  /** The k chunks most similar to `vector`, optionally only those whose metadata has the given values. */
  async nearest(vector: ArrayLike<number>, k: number, where: Record<string, string> = {}): Promise<Hit[]> {
    this.check(vector, 'the query vector');
    const literal = `[${Array.from(vector, (x) => (Number.isFinite(x) ? x : 0)).join(',')}]::FLOAT[${this.dim}]`;
    const filters = Object.entries(where).map(([key, value]) => `meta[${quoteLiteral(key)}] = ${quoteLiteral(value)}`);
    const reader = await this.connection.runAndReadAll(
      `SELECT id, doc_id, start_at, end_at, text, meta, array_cosine_similarity(vector, ${literal}) AS score FROM ${CHUNKS_TABLE}
       ${filters.length ? `WHERE ${filters.join(' AND ')}` : ''} ORDER BY score DESC, id LIMIT ${Math.max(1, Math.floor(k))}`,
    );
    return reader.getRowObjectsJS().map((r) => ({
      id: String(r.id),
      doc_id: String(r.doc_id),
      start: Number(r.start_at),
      end: Number(r.end_at),
      text: String(r.text),
      meta: mapToRecord(r.meta),
      score: Number(r.score),
    }));
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** DuckDB's MAP comes back as entries ({key, value} pairs); the lab wants a plain record. */
function mapToRecord(value: unknown): Record<string, string> {
  if (value && typeof value === 'object' && 'entries' in value && Array.isArray((value as { entries: unknown }).entries)) {
    return Object.fromEntries((value as { entries: Array<{ key: unknown; value: unknown }> }).entries.map((e) => [String(e.key), String(e.value)]));
  }
  if (Array.isArray(value)) return Object.fromEntries(value.map((e: { key: unknown; value: unknown }) => [String(e.key), String(e.value)]));
  return {};
}
