import path from 'node:path';
import { PACKAGE_ROOT } from '../../paths.js';
import { definePair } from '../pair.js';
import { ensureShopParquet } from './shop.js';

// The .py file is not compiled: it stays in the source tree.
const file = path.join(PACKAGE_ROOT, 'src', 'compare', 'pairs', 'iterrows.py');

/** The same revenue per customer in pandas: `iterrows()` against column operations. */
export const iterrows = definePair({
  id: 'iterrows',
  title: 'pandas iterrows() vs vectorized column operations',
  habit: { backend: 'for row in rows: …', data: 'one operation on whole columns' },
  needs: ['python'],
  lesson: [
    'iterrows() builds a pandas Series for every row: thousands of Python objects per second, each with an index.',
    'A boolean mask, a multiplication and a groupby run in NumPy\'s C loops over contiguous arrays.',
    'Published elsewhere: vectorized pandas is 100–1000× faster than iterrows(); a few hundred rows do not need it.',
  ],
  prepare: ensureShopParquet,
  backend: { label: 'iterrows() loop', engine: 'Python + pandas (row by row)', python: { file, open: 'open_orders', run: 'revenue_by_loop' } },
  data: { label: 'column operations', engine: 'pandas (vectorized, NumPy)', python: { file, open: 'open_orders', run: 'revenue_vectorized' } },
});
