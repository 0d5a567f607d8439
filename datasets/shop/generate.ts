/**
 * Deterministic data for the modern-data-stack lab (month3): a shop's operational database in
 * third normal form, as its nightly export lands it twice (the first load, then a second one in
 * which customers moved, changed segment or closed their account), and a month of sales events
 * with a restated day, for the Iceberg and Delta tables.
 *
 * Values come from a seeded PRNG (mulberry32) walked in one fixed order, so the same seed and
 * scale give the same rows on every machine.
 */

import type { Scale } from '../../src/lab/scale.js';
import { random } from '../random.js';

export interface ShopSize {
  customers: number;
  products: number;
  orders: number;
  /** Days of sales events (the table-format exercises). */
  days: number;
  salesPerDay: number;
}

export const SIZES: Record<Scale, ShopSize> = {
  small: { customers: 400, products: 60, orders: 2_500, days: 12, salesPerDay: 120 },
  medium: { customers: 4_000, products: 300, orders: 30_000, days: 20, salesPerDay: 1_000 },
  large: { customers: 20_000, products: 1_000, orders: 200_000, days: 30, salesPerDay: 5_000 },
};

export const FIRST_DAY = '2024-05-01';
export const SEGMENTS = ['consumer', 'small_business', 'enterprise'] as const;
export const COUNTRIES = ['US', 'DE', 'FR', 'GB', 'NL', 'ES', 'IT', 'SE'] as const;
export const STATUSES = ['placed', 'shipped', 'delivered', 'cancelled', 'returned'] as const;
export const CATEGORIES = ['books', 'games', 'garden', 'kitchen', 'music', 'outdoor', 'toys'] as const;
/** A product sold, then deleted from the catalogue: its order lines point at no product row. */
export const DELETED_PRODUCT_EVERY = 29;
/** Orders of guests, placed with a customer id that no customer row has. */
export const GUEST_CUSTOMER_BASE = 900_000;

export interface Customer {
  customer_id: number;
  email: string;
  full_name: string;
  country: string;
  segment: string;
  updated_at: string;
}
export interface Product {
  product_id: number;
  sku: string;
  product_name: string;
  category: string;
  list_price_cents: number;
}
export interface Order {
  order_id: number;
  customer_id: number;
  status: string;
  ordered_at: string;
  updated_at: string;
}
export interface OrderLine {
  order_id: number;
  line_no: number;
  product_id: number;
  quantity: number;
  unit_price_cents: number;
  discount_cents: number | null;
}
export interface Sale {
  sale_id: number;
  store_id: number;
  product_id: number;
  sold_at: string;
  quantity: number;
  amount: number;
}

export interface ShopData {
  /** The first load's export: a customer may be listed more than once (each change it saw), the newest counts. */
  customers: Customer[];
  /** The second load's export of customers, in the same shape. */
  customersSecondLoad: Customer[];
  products: Product[];
  orders: Order[];
  orderLines: OrderLine[];
  /** Sales events, a month of days: the table-format exercises' first load. */
  sales: Sale[];
  /** The restated day: every sale of `restatedDay` as the stores re-sent them (corrected, one removed, one added). */
  restatedDay: string;
  restatements: Sale[];
  /** A later batch of sales with a currency (the schema-evolution exercise). */
  salesWithCurrency: Array<Sale & { currency: string }>;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** Minutes after FIRST_DAY 00:00 UTC, as 'YYYY-MM-DD HH:MM:SS'. */
function at(minutes: number): string {
  const d = new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`) + minutes * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
const dayOf = (minutes: number) => at(minutes).slice(0, 10);

const FIRST = ['Ada', 'Bo', 'Chen', 'Dara', 'Eli', 'Fatima', 'Goran', 'Hana', 'Ivo', 'Jun', 'Kemal', 'Lea', 'Mina', 'Noor', 'Olek', 'Pia'];
const LAST = ['Berg', 'Costa', 'Dietz', 'Evans', 'Fischer', 'Garcia', 'Haas', 'Ito', 'Jensen', 'Kowalski', 'Lund', 'Moreau', 'Novak', 'Okafor'];

export function generateShop(seed: number, scale: Scale): ShopData {
  const size = SIZES[scale];
  const r = random(seed * 7919 + 3);
  const loadOneEnd = 60 * 24 * 40;

  // Customers: the current version of each, then what the export listed (older versions of some, dirty casing).
  const current: Customer[] = [];
  const customers: Customer[] = [];
  for (let id = 1; id <= size.customers; id++) {
    const first = r.pick(FIRST);
    const last = r.pick(LAST);
    const updated = r.int(0, loadOneEnd - 60 * 24);
    const c: Customer = { customer_id: id, email: `${first}.${last}${id}@example.com`.toLowerCase(), full_name: `${first} ${last}`, country: r.pick(COUNTRIES), segment: r.pick(SEGMENTS), updated_at: at(updated) };
    current.push(c);
    // The export's own spelling: some emails upper-cased or padded, some countries lower-cased.
    const dirty = { ...c };
    if (id % 7 === 0) dirty.email = `  ${c.email.toUpperCase()}`;
    if (id % 11 === 0) dirty.country = c.country.toLowerCase();
    if (id % 5 === 0) {
      // An earlier version, exported too: another segment, an hour or more before.
      customers.push({ ...dirty, segment: SEGMENTS[(SEGMENTS.indexOf(c.segment as (typeof SEGMENTS)[number]) + 1) % SEGMENTS.length]!, updated_at: at(Math.max(0, updated - r.int(60, 60 * 24 * 5))) });
    }
    customers.push(dirty);
  }

  // The second load: some customers moved or changed segment (a later updated_at), some closed their account, some are new.
  const secondStart = loadOneEnd + 60 * 24;
  const customersSecondLoad: Customer[] = [];
  for (const c of current) {
    if (c.customer_id % 17 === 3) continue; // closed the account: gone from the export
    if (c.customer_id % 6 === 1) {
      const moved = c.customer_id % 12 === 1;
      const changed = moved
        ? { ...c, country: COUNTRIES[(COUNTRIES.indexOf(c.country as (typeof COUNTRIES)[number]) + 1) % COUNTRIES.length]! }
        : { ...c, segment: SEGMENTS[(SEGMENTS.indexOf(c.segment as (typeof SEGMENTS)[number]) + 1) % SEGMENTS.length]! };
      changed.updated_at = at(secondStart + r.int(0, 60 * 20));
      if (c.customer_id % 4 === 1) customersSecondLoad.push({ ...c }); // the version before, listed again
      customersSecondLoad.push(changed);
      continue;
    }
    customersSecondLoad.push({ ...c });
  }
  for (let id = size.customers + 1; id <= size.customers + Math.ceil(size.customers / 20); id++) {
    const first = r.pick(FIRST);
    const last = r.pick(LAST);
    customersSecondLoad.push({ customer_id: id, email: `${first}.${last}${id}@example.com`.toLowerCase(), full_name: `${first} ${last}`, country: r.pick(COUNTRIES), segment: r.pick(SEGMENTS), updated_at: at(secondStart + r.int(0, 60 * 20)) });
  }

  const products: Product[] = [];
  for (let id = 1; id <= size.products; id++) {
    products.push({ product_id: id, sku: `SKU-${String(id).padStart(5, '0')}`, product_name: `${r.pick(CATEGORIES)} item ${id}`, category: r.pick(CATEGORIES), list_price_cents: r.int(2, 400) * 25 });
  }
  const soldProducts = [...products.map((p) => p.product_id), ...Array.from({ length: Math.ceil(size.products / DELETED_PRODUCT_EVERY) }, (_, i) => size.products + 1 + i)];

  const orders: Order[] = [];
  const orderLines: OrderLine[] = [];
  for (let id = 1; id <= size.orders; id++) {
    const placed = r.int(0, loadOneEnd);
    const guest = id % 37 === 0;
    const customer = guest ? GUEST_CUSTOMER_BASE + id : r.int(1, size.customers);
    const status = r.pick(STATUSES);
    // The application wrote statuses by hand for years: some capitalized, some padded.
    const spelled = id % 9 === 0 ? status.toUpperCase() : id % 13 === 0 ? ` ${status[0]!.toUpperCase()}${status.slice(1)} ` : status;
    const updated = placed + r.int(0, 60 * 24 * 3);
    if (id % 8 === 0) orders.push({ order_id: id, customer_id: customer, status: 'placed', ordered_at: at(placed), updated_at: at(placed) });
    orders.push({ order_id: id, customer_id: customer, status: spelled, ordered_at: at(placed), updated_at: at(id % 8 === 0 ? updated + 1 : updated) });
    const lines = r.int(1, 4);
    for (let line = 1; line <= lines; line++) {
      const product = id % 53 === 0 && line === 1 ? size.products + 1 + (id % Math.ceil(size.products / DELETED_PRODUCT_EVERY)) : r.pick(soldProducts.slice(0, size.products));
      const price = products[product - 1]?.list_price_cents ?? 995;
      const quantity = r.int(1, 5);
      orderLines.push({ order_id: id, line_no: line, product_id: product, quantity, unit_price_cents: price, discount_cents: r.next() < 0.6 ? null : r.int(0, Math.floor((price * quantity) / 4)) });
    }
  }

  // Sales events for the table formats: a month of days, a store each, amounts in cents.
  const sales: Sale[] = [];
  let saleId = 1;
  for (let d = 0; d < size.days; d++) {
    for (let i = 0; i < size.salesPerDay; i++) {
      const minute = d * 60 * 24 + r.int(0, 60 * 24 - 1);
      sales.push({ sale_id: saleId++, store_id: r.int(1, 12), product_id: r.int(1, size.products), sold_at: at(minute), quantity: r.int(1, 6), amount: r.int(1, 400) * 25 });
    }
  }
  const restatedDay = dayOf(Math.floor(size.days / 2) * 60 * 24);
  const restatements: Sale[] = [];
  const ofDay = sales.filter((s) => s.sold_at.startsWith(restatedDay));
  for (const [i, s] of ofDay.entries()) {
    if (i === 3) continue; // a sale the stores took back: gone from the restated day
    restatements.push(i % 4 === 0 ? { ...s, amount: s.amount + 100 } : { ...s });
  }
  restatements.push({ sale_id: saleId++, store_id: 1, product_id: 1, sold_at: `${restatedDay} 23:59:00`, quantity: 1, amount: 500 });
  const salesWithCurrency: Array<Sale & { currency: string }> = [];
  for (let i = 0; i < size.salesPerDay; i++) {
    const minute = size.days * 60 * 24 + r.int(0, 60 * 24 - 1);
    salesWithCurrency.push({ sale_id: saleId++, store_id: r.int(1, 12), product_id: r.int(1, size.products), sold_at: at(minute), quantity: r.int(1, 6), amount: r.int(1, 400) * 25, currency: r.pick(['EUR', 'USD', 'GBP']) });
  }
  return { customers, customersSecondLoad, products, orders, orderLines, sales, restatedDay, restatements, salesWithCurrency };
}
