import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus, type Doc } from '../../datasets/docs/generate.js';
import { defineLab } from '../../src/lab/define.js';
import { quoteLiteral } from '../../src/sql.js';

const GENERATOR = fileURLToPath(new URL('../../datasets/docs/generate.js', import.meta.url));

const DOCUMENT_COLUMNS = `{doc_id: 'VARCHAR', path: 'VARCHAR', format: 'VARCHAR', kind: 'VARCHAR', title: 'VARCHAR', text: 'VARCHAR', status: 'VARCHAR', team: 'VARCHAR', service: 'VARCHAR', policy: 'VARCHAR', version: 'INTEGER', effective: 'VARCHAR'}`;
const flat = (d: Doc) => ({ doc_id: d.id, path: d.path, format: d.format, kind: d.kind, title: d.title, text: d.text, status: d.meta.status, team: d.meta.team ?? null, service: d.meta.service ?? null, policy: d.meta.policy ?? null, version: d.meta.version ?? null, effective: d.meta.effective ?? null });

export default defineLab({
  name: 'month6',
  title: 'Enterprise RAG: chunk, embed, index, retrieve, answer, and measure it',
  summary: "Northwind Pay's internal documents (runbooks, versioned policies, handbooks, meeting notes, HTML tables) made searchable: chunking, embeddings, a vector store, metadata filters, hybrid search, reranking, cited answers and idempotent ingestion, each measured against labelled questions.",
  roles: ['sql', 'python', 'vectors'],
  sqlEngine: { local: 'DuckDB', docker: 'DuckDB' },
  needs: { python: true, memoryGiB: 2 },
  // The embedding model (int8 all-MiniLM-L6-v2 on onnxruntime) and DuckDB for the local vector store.
  pythonRequirements: 'requirements.txt',
  // `passages`, `passages_after` and `stale_texts` are the grader's: the held-out questions' answers.
  tables: ['documents', 'questions', 'updated_documents', 'deleted_documents'],
  datasetVersion: (seed, scale) => crypto.createHash('sha256').update(fs.readFileSync(GENERATOR)).update(`${seed}/${scale}`).digest('hex').slice(0, 16),
  async seed(session, { seed, scale, dir, onTable }) {
    const t0 = performance.now();
    const corpus = generateCorpus(seed, scale);
    const work = fs.mkdtempSync(path.join(dir ?? os.tmpdir(), 'docs-'));
    const byId = new Map(corpus.docs.map((d) => [d.id, d]));
    try {
      const write = (name: string, rows: object[]) => {
        const file = path.join(work, `${name}.jsonl`);
        fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
        return quoteLiteral(file);
      };
      const load = async (table: string, rows: object[], columns: string) => {
        await session.run(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM read_json(${write(table, rows)}, format = 'newline_delimited', columns = ${columns})${rows.length ? '' : ' WHERE false'}`);
        onTable?.(table, rows.length, performance.now() - t0);
      };
      await load('documents', corpus.docs.map(flat), DOCUMENT_COLUMNS);
      await load('updated_documents', corpus.update.edited.map(flat), DOCUMENT_COLUMNS);
      await load('deleted_documents', corpus.update.deleted.map((doc_id) => ({ doc_id })), `{doc_id: 'VARCHAR'}`);
      await load(
        'questions',
        corpus.questions.map((q) => ({ question_id: q.id, question: q.question, kind: q.kind, answerable: q.answerable, answerable_after: q.afterUpdate?.answerable ?? q.answerable, split: q.split, answer: q.answer || null })),
        `{question_id: 'VARCHAR', question: 'VARCHAR', kind: 'VARCHAR', answerable: 'BOOLEAN', answerable_after: 'BOOLEAN', split: 'VARCHAR', answer: 'VARCHAR'}`,
      );
      const passage = (question_id: string, p: { doc_id: string; start: number; end: number; relevance: number }, docs: Map<string, Doc>) => ({ question_id, doc_id: p.doc_id, start: p.start, end: p.end, relevance: p.relevance, text: docs.get(p.doc_id)!.text.slice(p.start, p.end) });
      const PASSAGE_COLUMNS = `{question_id: 'VARCHAR', doc_id: 'VARCHAR', start: 'INTEGER', "end": 'INTEGER', relevance: 'INTEGER', text: 'VARCHAR'}`;
      await load('passages', corpus.questions.flatMap((q) => q.passages.map((p) => passage(q.id, p, byId))), PASSAGE_COLUMNS);
      const after = new Map(byId);
      for (const d of corpus.update.edited) after.set(d.id, d);
      await load('passages_after', corpus.questions.flatMap((q) => (q.afterUpdate ? q.afterUpdate.passages : q.passages).map((p) => passage(q.id, p, after))), PASSAGE_COLUMNS);
      await load('stale_texts', corpus.update.stale, `{doc_id: 'VARCHAR', text: 'VARCHAR'}`);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  },
});
