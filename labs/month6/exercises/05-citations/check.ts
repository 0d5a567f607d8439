import { defineExercise } from '../../../../src/lab/checks.js';
import { expectCitationsResolve, expectGroundedAnswers } from '../../../../src/lab/retrieval-checks.js';
import { HTML_TABLES, SHARED_WORDING } from '../../traps.js';

export default defineExercise({
  title: 'An answer with citations that resolve to stored chunks, quoting the sentence that answers',
  kind: 'retrieval',
  file: 'pipeline.py',
  answers: true,
  traps: [SHARED_WORDING, HTML_TABLES],
  checks: [expectCitationsResolve(), expectGroundedAnswers({ atLeast: 0.65 })],
});
