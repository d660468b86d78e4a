import type { RowWrite, Table } from './rowWrites.js';

/**
 * Each projected table's columns, in the order of its DDL (tables.ts). A write's columns are named by a
 * bitmask over this list, so a statement is found by a number instead of by text joined per row.
 */
export const TABLE_COLUMNS: Record<Table, readonly string[]> = {
  matching_opportunities: [
    'opportunity_id',
    'organisation_id',
    'status',
    'details',
    'revision',
    'published_at',
    'updated_at',
  ],
  matching_candidates: [
    'client_id',
    'consent_id',
    'consent_scope',
    'consent_organisation_id',
    'legal_status',
    'profile',
    'shared_by_organisation_id',
    'updated_at',
  ],
  matching_applications: [
    'application_id',
    'client_id',
    'opportunity_id',
    'coach_organisation_id',
    'employer_organisation_id',
    'status',
    'start_date',
    'follow_ups',
    'revision',
    'updated_at',
  ],
  matching_follow_ups_due: ['application_id', 'month', 'announced_at'],
};

const TABLES = Object.keys(TABLE_COLUMNS) as Table[];
const TABLE_INDEX = new Map(TABLES.map((table, i) => [table, i]));
const BITS = new Map(
  TABLES.map((table) => [table, new Map(TABLE_COLUMNS[table].map((column, i) => [column, 1 << i]))] as const),
);
const OP_INDEX: Record<RowWrite['op'], number> = { upsert: 0, update: 1, delete: 2, followUp: 3 };
const MASK_BITS = 10;

const maskOf = (table: Table, row: Record<string, unknown>): number => {
  const bits = BITS.get(table)!;
  let mask = 0;
  for (const column in row) {
    const bit = bits.get(column);
    if (bit === undefined) throw new Error(`${table} has no column ${column}`);
    mask |= bit;
  }
  return mask;
};

/** A write's shape: its table, its kind and the columns it inserts and assigns. Writes of one shape share a statement. */
export const shapeOf = (w: RowWrite): number => {
  const head = (TABLE_INDEX.get(w.table)! << 2) | OP_INDEX[w.op];
  if (w.op === 'upsert')
    return (((head << MASK_BITS) | maskOf(w.table, w.insert)) << MASK_BITS) | maskOf(w.table, w.set);
  if (w.op === 'update') return (head << (2 * MASK_BITS)) | maskOf(w.table, w.set);
  return head << (2 * MASK_BITS);
};

/** The columns of `table` a mask names, in the table's order: the order a statement binds their values in. */
export const columnsOf = (table: Table, mask: number): string[] =>
  TABLE_COLUMNS[table].filter((_, i) => (mask & (1 << i)) !== 0);

/** A write's inserted and assigned columns, in the table's order, as its shape names them. */
export const shapeColumns = (w: RowWrite): { insert: string[]; set: string[] } => ({
  insert: w.op === 'upsert' ? columnsOf(w.table, maskOf(w.table, w.insert)) : [],
  set: w.op === 'upsert' || w.op === 'update' ? columnsOf(w.table, maskOf(w.table, w.set)) : [],
});

/** Something built once per shape (a statement and how to bind a write to it), found by the shape's number. */
export function byShape<T>(build: (w: RowWrite) => T): (w: RowWrite, shape?: number) => T {
  const built = new Map<number, T>();
  return (w, shape = shapeOf(w)) => {
    let value = built.get(shape);
    if (value === undefined) built.set(shape, (value = build(w)));
    return value;
  };
}
