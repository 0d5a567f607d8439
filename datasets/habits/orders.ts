import fs from 'node:fs';
import path from 'node:path';
import { random } from '../random.js';

/** The shop behind `lab compare`: regions → cities → customers, categories → products, and orders. */
export const REGIONS = ['North', 'South', 'East', 'West', 'Central', 'Coast', 'Highlands', 'Islands'];
export const CHANNELS = ['web', 'app', 'store', 'partner'];
export const COUNTRIES = ['DE', 'FR', 'NL', 'BE', 'ES', 'IT', 'PT', 'PL', 'SE', 'DK', 'NO', 'FI', 'AT', 'CH', 'IE', 'GB', 'CZ', 'HU', 'RO', 'GR'];
const CATEGORIES = 20;
const PRODUCTS = 500;
const CITIES = 100;
const WORDS = ['gift', 'rush', 'fragile', 'leave at door', 'call first', 'no receipt', 'repeat', 'bulk', 'b2b', 'promo'];

/** Customers for n orders: one per ten orders, at least ten. */
export const customerCount = (orders: number) => Math.max(10, Math.floor(orders / 10));

export const ORDER_COLUMNS = ['id', 'customer_id', 'product_id', 'ordered_at', 'status', 'channel', 'country', 'amount_cents', 'qty', 'coupon', 'note'] as const;

/** 2025, in milliseconds: orders are spread over the year in id order, with jitter (a late id may be a little earlier). */
const YEAR_START = Date.UTC(2025, 0, 1);
const YEAR_MS = 365 * 86_400_000;

function csvValue(v: string | number | null): string {
  if (v === null) return '';
  return typeof v === 'number' ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function writeCsv(file: string, header: readonly string[], rows: Iterable<Array<string | number | null>>): void {
  const fd = fs.openSync(file, 'w');
  try {
    let buf = header.join(',') + '\n';
    for (const row of rows) {
      buf += row.map(csvValue).join(',') + '\n';
      if (buf.length > 1 << 20) {
        fs.writeSync(fd, buf);
        buf = '';
      }
    }
    fs.writeSync(fd, buf);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes the shop's tables as CSV files (with headers) into `dir`: regions, cities, customers,
 * categories, products and `orders` rows. The same seed and row count give the same files everywhere.
 */
export function writeShopCsv(dir: string, orders: number, seed: number): void {
  fs.mkdirSync(dir, { recursive: true });
  const r = random(seed * 7919 + orders);
  writeCsv(path.join(dir, 'regions.csv'), ['id', 'name'], REGIONS.map((name, i) => [i + 1, name]));
  writeCsv(path.join(dir, 'cities.csv'), ['id', 'region_id', 'name'], Array.from({ length: CITIES }, (_, i) => [i + 1, r.int(1, REGIONS.length), `City ${i + 1}`]));
  const customers = customerCount(orders);
  writeCsv(path.join(dir, 'customers.csv'), ['id', 'city_id', 'name', 'email'], Array.from({ length: customers }, (_, i) => [i + 1, r.int(1, CITIES), `Customer ${i + 1}`, `c${i + 1}@example.com`]));
  writeCsv(path.join(dir, 'categories.csv'), ['id', 'name'], Array.from({ length: CATEGORIES }, (_, i) => [i + 1, `Category ${String(i + 1).padStart(2, '0')}`]));
  writeCsv(path.join(dir, 'products.csv'), ['id', 'category_id', 'name', 'list_price_cents'], Array.from({ length: PRODUCTS }, (_, i) => [i + 1, r.int(1, CATEGORIES), `Product ${i + 1}`, r.int(100, 50_000)]));
  function* orderRows(): Generator<Array<string | number | null>> {
    for (let id = 1; id <= orders; id++) {
      const at = YEAR_START + Math.min(YEAR_MS - 1, Math.max(0, Math.floor(((id - 0.5) / orders) * YEAR_MS + (r.next() - 0.5) * 3_600_000)));
      const roll = r.next();
      const status = roll < 0.8 ? 'paid' : roll < 0.9 ? 'cancelled' : roll < 0.95 ? 'refunded' : 'pending';
      // A few customers buy far more than others, as in every shop.
      const customer = r.next() < 0.2 ? r.int(1, Math.max(1, Math.floor(customers / 50))) : r.int(1, customers);
      yield [id, customer, r.int(1, PRODUCTS), new Date(at).toISOString(), status, r.pick(CHANNELS), r.pick(COUNTRIES), r.int(100, 50_000), r.int(1, 5), r.next() < 0.15 ? `SAVE${r.int(5, 30)}` : null, r.pick(WORDS)];
    }
  }
  writeCsv(path.join(dir, 'orders.csv'), ORDER_COLUMNS, orderRows());
}
