import { defineExercise } from '../../../../src/lab/checks.js';
import { expectIdempotentIndex, expectKnownIds, expectUpdateApplied } from '../../../../src/lab/retrieval-checks.js';
import { DELETED_ASKED, EDIT_SHRINKS, EDITED_ASKED, STALE_TEXT } from '../../traps.js';

export default defineExercise({
  title: 'Idempotent ingestion: index twice without duplicates, edits without stale chunks, deletes gone from every answer',
  kind: 'retrieval',
  file: 'pipeline.py',
  update: true,
  traps: [EDIT_SHRINKS, STALE_TEXT, DELETED_ASKED, EDITED_ASKED],
  checks: [expectIdempotentIndex(), ...expectUpdateApplied(), expectKnownIds({ after: true })],
});
