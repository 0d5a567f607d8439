/** The cases month6's statements warn about, each a count over the seeded tables: `lab dev check` proves each is there on every seed. */
import type { Trap } from '../../src/lab/define.js';

export const SHARED_WORDING: Trap = { name: 'runbooks state their facts in the same words', count: "SELECT count(*) FROM documents WHERE kind = 'runbook' AND contains(text, 'The p99 latency objective of')" };
export const HTML_TABLES: Trap = { name: 'facts inside HTML table rows', count: "SELECT count(*) FROM passages p JOIN documents d USING (doc_id) WHERE d.format = 'html'" };
export const SIMILAR_NAMES: Trap = { name: 'services whose names differ by one word (ledger-api, ledger-worker)', count: "SELECT count(*) FROM (SELECT split_part(service, '-', 1) AS system FROM documents WHERE kind = 'runbook' GROUP BY system HAVING count(*) > 1)" };
export const SUPERSEDED: Trap = { name: 'superseded policy versions, with other values', count: "SELECT count(*) FROM documents WHERE kind = 'policy' AND status = 'superseded'" };
export const THREE_VERSIONS: Trap = { name: 'policies with three versions (version 2 is not the newest)', count: "SELECT count(*) FROM (SELECT policy FROM documents WHERE kind = 'policy' GROUP BY policy HAVING count(*) >= 3)" };
export const HELD_OUT_POLICY: Trap = { name: 'held-out questions about policies', count: "SELECT count(*) FROM questions WHERE split = 'held_out' AND kind = 'policy'" };
export const PROPOSALS: Trap = { name: 'meeting notes proposing policy values that were not adopted', count: "SELECT count(*) FROM documents WHERE kind = 'meeting' AND contains(text, 'not adopted')" };
export const DRAFTS: Trap = { name: 'draft copies of runbooks', count: "SELECT count(*) FROM documents WHERE status = 'draft'" };
export const KEYWORD_ONLY: Trap = { name: 'questions asked by identifier (`ledger-api port number?`), where words beat meaning', count: "SELECT count(*) FROM questions WHERE split = 'held_out' AND regexp_matches(question, '^[a-z]+-[a-z]+ [a-z0-9 ]+\\?$')" };
export const PARAPHRASED: Trap = { name: 'questions asked in other words than the document (bounce, head of, in charge)', count: "SELECT count(*) FROM questions WHERE split = 'held_out' AND regexp_matches(question, 'bounce|head of|in charge|supposed to answer')" };
export const UNANSWERABLE: Trap = { name: 'held-out questions the documents cannot answer', count: "SELECT count(*) FROM questions WHERE split = 'held_out' AND NOT answerable" };
export const LOOKALIKE_UNANSWERABLE: Trap = {
  name: 'unanswerable questions worded like answerable ones (a service that does not exist)',
  count: "SELECT count(*) FROM questions WHERE split = 'held_out' AND NOT answerable AND regexp_matches(question, '[a-z]+-(api|worker|gateway|scheduler|store)')",
};
export const EDIT_SHRINKS: Trap = { name: 'an edited document with fewer chunks than before', count: 'SELECT count(*) FROM updated_documents u JOIN documents d USING (doc_id) WHERE length(u.text) < length(d.text) - 100' };
export const STALE_TEXT: Trap = { name: 'text the edit removed (old port, dropped section)', count: 'SELECT count(*) FROM stale_texts' };
export const DELETED_ASKED: Trap = { name: 'questions only the deleted document answered', count: 'SELECT count(*) FROM questions WHERE answerable AND NOT answerable_after' };
export const EDITED_ASKED: Trap = { name: 'questions whose answer the edit changed', count: 'SELECT count(DISTINCT question_id) FROM passages_after WHERE doc_id IN (SELECT doc_id FROM updated_documents) AND text NOT IN (SELECT text FROM passages)' };
