import { defineExercise } from '../../../../src/lab/checks.js';
import { expectChunkSize, expectFactsWhole, expectKnownIds, expectRetrieval } from '../../../../src/lab/retrieval-checks.js';
import { HTML_TABLES, SHARED_WORDING } from '../../traps.js';

export default defineExercise({
  title: 'A chunker: sections that say what they are about, table rows out of their markup, no fact cut in half',
  kind: 'retrieval',
  file: 'pipeline.py',
  traps: [SHARED_WORDING, HTML_TABLES],
  checks: [expectKnownIds(), expectChunkSize({ maxChars: 1000 }), expectFactsWhole({ atLeast: 0.98 }), ...expectRetrieval({ recallAt5: 0.65, ndcgAt10: 0.55 })],
});
