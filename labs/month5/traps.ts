/** Queries the month5 exercises' traps share, over the stream and the generator's record of what it planted. */

const plantedCount = (pattern: string) => `SELECT count(*) FROM planted WHERE pattern = '${pattern}'`;

export const REDELIVERY = { name: 'a payment delivered twice (the same event_id)', count: `SELECT count(*) FROM (SELECT event_id FROM payments GROUP BY event_id HAVING count(*) > 1)` };
export const OUT_OF_ORDER = { name: 'a payment arriving after a later one of its partition (out of order)', count: `SELECT count(*) FROM payments WHERE epoch(arrived_at) - epoch(event_time) >= 10` };
export const HOT_KEY = { name: 'a hot key: one card paying every 20–30 s all stream long', count: plantedCount('hot key') };
export const BURST_ACROSS_MINUTE = {
  name: 'a burst split by a minute boundary (a tumbling minute holds at most 4 of its payments)',
  count: `SELECT count(*) FROM (SELECT l.card_id FROM labels l JOIN payments p USING (event_id) WHERE l.rule = 'velocity' GROUP BY l.card_id) c
          WHERE (SELECT max(n) FROM (SELECT count(DISTINCT event_id) AS n FROM payments p WHERE p.card_id = c.card_id GROUP BY date_trunc('minute', event_time))) < 5`,
};
export const VELOCITY_REDELIVERY_NEAR_MISS = { name: '4 payments in a minute plus one delivered again (counts as 4)', count: plantedCount('velocity near miss (redelivery)') };
export const VELOCITY_SLOW_NEAR_MISS = { name: '5 payments spread over 65–75 s', count: plantedCount('velocity near miss (slow)') };
export const TESTING_AT_200 = { name: 'card testing whose big payment is exactly 200.00', count: `SELECT count(*) FROM labels l JOIN payments p USING (event_id) WHERE l.rule = 'card_testing' AND p.amount = 200` };
export const TESTING_TINY_IS_BELOW_2 = { name: 'a payment of exactly 2.00 among tiny ones (not tiny)', count: plantedCount('card testing near miss (2.00 is not tiny)') };
export const TESTING_TOO_LONG_AGO = { name: 'tiny payments more than 10 minutes before the big one', count: plantedCount('card testing near miss (too long ago)') };
export const TESTING_REDELIVERY = { name: 'two tiny payments, one delivered twice', count: plantedCount('card testing near miss (redelivery)') };
export const TESTING_NO_BIG = { name: 'tiny payments with no big one after them', count: plantedCount('card testing without a big payment') };
export const POSSIBLE_TRAVEL = { name: 'a change of country slower than a plane (no alert)', count: plantedCount('travel (possible)') };
export const SPIKE_MODEST = { name: 'a spike caught only when it is not yet in the statistics (mean + 5–7 deviations)', count: plantedCount('amount spike (modest)') };
export const SPIKE_AT_20 = { name: 'a spike after exactly 20 earlier payments (enough history)', count: plantedCount('amount spike after exactly 20 payments') };
export const SPIKE_YOUNG_CARD = { name: 'a spike on a card with 19 or fewer earlier payments (not enough history)', count: plantedCount('amount spike on a young card') };
export const BIG_SPENDER = { name: 'a card whose everyday amounts are 200–900 (a global threshold misfires)', count: plantedCount('big spender') };
export const SMALL_SPENDER_SPIKE = { name: 'a spike on a card with a 10–15 baseline (under any global threshold)', count: `SELECT count(*) FROM labels l JOIN payments p USING (event_id) WHERE l.rule = 'amount_spike' AND p.amount < 200` };
export const TOO_LATE = { name: 'a payment more than 60 s behind its partition\'s newest event time', count: `SELECT count(*) FROM labels WHERE rule = 'too_late'` };
export const LATE_BUT_ALLOWED = { name: 'a payment 10–45 s late (within the allowed lateness)', count: `SELECT count(*) FROM payments WHERE epoch(arrived_at) - epoch(event_time) BETWEEN 10 AND 50` };
