import { defineExercise } from '../../../../src/lab/checks.js';
import { expectKnownIds, expectRetrieval } from '../../../../src/lab/retrieval-checks.js';
import { DRAFTS, PROPOSALS, SIMILAR_NAMES } from '../../traps.js';

export default defineExercise({
  title: 'A reranker: the page in force about the thing asked for, first',
  kind: 'retrieval',
  file: 'pipeline.py',
  traps: [PROPOSALS, DRAFTS, SIMILAR_NAMES],
  checks: [expectKnownIds(), ...expectRetrieval({ mrr: 0.84, ndcgAt10: 0.8 })],
});
