import type { Pair } from '../pair.js';
import { bulkLoad } from './bulk-load.js';
import { columnScan } from './column-scan.js';
import { cronVsStream } from './cron-vs-stream.js';
import { iterrows } from './iterrows.js';
import { jsonlVsParquet } from './jsonl-vs-parquet.js';
import { nPlusOne } from './n-plus-one.js';
import { pointLookup } from './point-lookup.js';
import { rowLoop } from './row-loop.js';
import { starSchema } from './star-schema.js';

/** Every pair `lab compare` knows, in the order of the learner's table: adding one is a file here and a line below. */
export const PAIRS: readonly Pair[] = [rowLoop, iterrows, nPlusOne, starSchema, bulkLoad, columnScan, pointLookup, jsonlVsParquet, cronVsStream];
