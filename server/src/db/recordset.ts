import { getTableColumns, is, SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/**
 * Many rows of a table as one jsonb parameter, for `insert … select` (decision 031). Drizzle's `.values([…])`
 * builds the statement anew for every row and column, and each group size is a statement of its own text; this
 * is one text whatever the number of rows, built from the table's columns once. A column the rows leave out
 * takes its SQL default (`created_at`: `now()`, the transaction's time as the default gives). Values go as JSON
 * gives them (a date as ISO text); a default only drizzle knows (a value or a function) is refused here.
 */
export function recordsetOf<T extends PgTable>(table: T): (rows: readonly T['$inferInsert'][]) => SQL {
  const columns = Object.entries(getTableColumns(table));
  for (const [key, column] of columns)
    if ((column.default !== undefined && !is(column.default, SQL)) || column.defaultFn !== undefined)
      throw new Error(`recordsetOf: ${key} has a default drizzle fills in, not the database`);
  // The table's column order, which `insert … select` lists; keys are the rows' own (drizzle's) names.
  const picked = sql.join(
    columns.map(([key, column]) => {
      const value = sql`r.${sql.identifier(key)}`;
      return is(column.default, SQL) ? sql`coalesce(${value}, ${column.default})` : value;
    }),
    sql`, `,
  );
  const definition = sql.join(
    columns.map(([key, column]) => sql`${sql.identifier(key)} ${sql.raw(recordType(column.getSQLType()))}`),
    sql`, `,
  );
  return (rows) =>
    sql`select ${picked} from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(${definition})`;
}

/** A column's type as a record definition has it: a serial is its integer (its sequence is the table's). */
function recordType(type: string): string {
  return type
    .replace(/^bigserial$/, 'bigint')
    .replace(/^serial$/, 'integer')
    .replace(/^smallserial$/, 'smallint');
}
