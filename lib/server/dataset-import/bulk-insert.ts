import "server-only";
import type { DbTransaction } from "@/lib/db";

/*
 * Set-based inserts for the dataset import: `INSERT … SELECT … FROM unnest($1::text[], $2::int4[], …)`, one array
 * parameter per column, `batchRows` rows per statement. Prisma's createMany compiles a query plan holding every
 * value, which for 100,000 annotations took over a minute; one array per column is a handful of parameters whatever
 * the row count, on PostgreSQL and PGlite alike. Runs inside the caller's transaction.
 *
 * What travels is kept small, as every value is written out as text and parsed again by the database (on the
 * embedded one, in WebAssembly): a value shared by every row is one parameter (`constantColumn`); ids repeated
 * across rows (the article, the entity) are a small list sent once and an index per row (`lookupColumn`); enums
 * are chosen by a boolean (`select`), not cast from text row by row.
 */

/** Rows per statement: a 100,000-annotation file is ten statements; a message stays a few megabytes. */
export const defaultBatchRows = 10_000;

type RowValue = string | number | boolean | null;

export type BulkColumn<Row> =
  /** a value per row, as an array of `type`; `select` turns the unnested value `v` into the column's value */
  | { name: string; type: "text" | "int4" | "bool"; value: (row: Row) => RowValue; select?: (v: string) => string }
  /** one value for every row */
  | { name: string; type: string; constant: RowValue | Date }
  /** one of `values` per row, by index (null for NULL) */
  | { name: string; values: readonly string[]; index: (row: Row) => number | null };

/** A column whose value is the same for every row (`type`: the SQL type to cast the parameter to). */
export function constantColumn<Row>(name: string, type: string, constant: RowValue | Date): BulkColumn<Row> {
  return { name, type, constant };
}

/** A column holding one of a few strings (ids repeated across rows): the list is sent once, an index per row. */
export function lookupColumn<Row>(name: string, values: readonly string[], index: (row: Row) => number | null): BulkColumn<Row> {
  return { name, values, index };
}

/**
 * A text[] column from one JSON array per row (a text[][] parameter cannot carry arrays of different lengths);
 * empty lists travel as NULL.
 */
export function textArrayColumn<Row>(name: string, value: (row: Row) => readonly string[]): BulkColumn<Row> {
  return {
    name,
    type: "text",
    value: (row) => {
      const list = value(row);
      return list.length ? JSON.stringify(list) : null;
    },
    select: (v) => `CASE WHEN ${v} IS NULL THEN '{}'::text[] ELSE ARRAY(SELECT jsonb_array_elements_text(${v}::jsonb)) END`,
  };
}

/** The statement for `columns`, and how to make its parameters for a batch of rows. */
function buildInsert<Row>(table: string, columns: BulkColumn<Row>[]): { sql: string; params: (batch: readonly Row[]) => unknown[] } {
  const makers: ((batch: readonly Row[]) => unknown)[] = [];
  const param = (make: (batch: readonly Row[]) => unknown, type: string) => {
    makers.push(make);
    return `$${makers.length}::${type}`;
  };
  const unnested: string[] = [];
  const selects = columns.map((column) => {
    if ("constant" in column) {
      const value = column.constant;
      return param(() => value, column.type);
    }
    const v = `u.c${unnested.length}`;
    if ("values" in column) {
      const { values, index } = column;
      unnested.push(param((batch) => batch.map(index), "int4[]"));
      const list = param(() => values, "text[]");
      return `(${list})[${v} + 1]`;
    }
    const { value, type, select } = column;
    unnested.push(param((batch) => batch.map(value), `${type}[]`));
    return select ? select(v) : v;
  });
  const names = columns.map((column) => `"${column.name}"`).join(", ");
  const aliases = unnested.map((_, i) => `c${i}`).join(", ");
  const sql = `INSERT INTO "${table}" (${names}) SELECT ${selects.join(", ")} FROM unnest(${unnested.join(", ")}) AS u(${aliases})`;
  return { sql, params: (batch) => makers.map((make) => make(batch)) };
}

/**
 * Inserts `rows` into `table`, `batchRows` at a time. At least one column must have a value per row.
 * Returns the number of rows inserted.
 */
export async function insertRows<Row>(tx: DbTransaction, table: string, columns: BulkColumn<Row>[], rows: readonly Row[], { batchRows = defaultBatchRows }: { batchRows?: number } = {}): Promise<number> {
  if (!Number.isInteger(batchRows) || batchRows < 1) throw new Error(`batchRows must be a positive integer, not ${batchRows}`);
  if (columns.every((column) => "constant" in column)) throw new Error(`insertRows into ${table}: no column has a value per row`);
  const { sql, params } = buildInsert(table, columns);
  let inserted = 0;
  for (let from = 0; from < rows.length; from += batchRows) {
    inserted += await tx.$executeRawUnsafe(sql, ...params(rows.slice(from, from + batchRows)));
  }
  return inserted;
}
