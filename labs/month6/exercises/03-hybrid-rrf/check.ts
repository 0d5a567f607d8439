import { defineExercise } from '../../../../src/lab/checks.js';
import { expectBeatsBaselines, expectKnownIds, expectRetrieval } from '../../../../src/lab/retrieval-checks.js';
import { KEYWORD_ONLY, PARAPHRASED, SIMILAR_NAMES } from '../../traps.js';

export default defineExercise({
  title: 'Hybrid search: dense and BM25 rankings fused with reciprocal rank fusion, beating both',
  kind: 'retrieval',
  file: 'pipeline.py',
  baselines: true,
  traps: [SIMILAR_NAMES, KEYWORD_ONLY, PARAPHRASED],
  checks: [expectKnownIds(), expectBeatsBaselines('recallAt5', { by: 0.01 }), ...expectRetrieval({ recallAt5: 0.8 })],
});
