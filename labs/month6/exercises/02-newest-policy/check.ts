import { defineExercise } from '../../../../src/lab/checks.js';
import { expectKnownIds, expectOnlyInForce, expectRetrieval } from '../../../../src/lab/retrieval-checks.js';
import { HELD_OUT_POLICY, PROPOSALS, SUPERSEDED, THREE_VERSIONS } from '../../traps.js';

export default defineExercise({
  title: 'Metadata and a filter: only the policy version in force comes back',
  kind: 'retrieval',
  file: 'pipeline.py',
  traps: [SUPERSEDED, THREE_VERSIONS, HELD_OUT_POLICY, PROPOSALS],
  checks: [expectKnownIds(), expectOnlyInForce({ k: 5 }), ...expectRetrieval({ mrr: 0.7 }, { kinds: ['policy'], label: 'policy questions' }), ...expectRetrieval({ recallAt5: 0.65 })],
});
