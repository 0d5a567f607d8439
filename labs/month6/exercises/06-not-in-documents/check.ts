import { defineExercise } from '../../../../src/lab/checks.js';
import { expectAbstains, expectCitationsResolve } from '../../../../src/lab/retrieval-checks.js';
import { LOOKALIKE_UNANSWERABLE, UNANSWERABLE } from '../../traps.js';

export default defineExercise({
  title: '"Not in the documents": refusing the questions the documents cannot answer, answering the others',
  kind: 'retrieval',
  file: 'pipeline.py',
  answers: true,
  traps: [UNANSWERABLE, LOOKALIKE_UNANSWERABLE],
  checks: [...expectAbstains({ precision: 0.8, recall: 0.75 }), expectCitationsResolve()],
});
