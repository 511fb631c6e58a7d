import type pg from "pg";

/** PostgreSQL text cannot hold U+0000: diagnostic text (errors, field paths, order keys) replaces it. */
export function storableText<T extends string | null>(text: T): T {
  return (text === null ? null : text.replaceAll("\u0000", "\uFFFD")) as T;
}

/**
 * JSON text for a jsonb parameter that the server spreads into rows (`jsonRows`): one native
 * JSON.stringify instead of escaping an array literal per column. JSON.stringify writes a lone
 * UTF-16 surrogate as a \uD8xx escape, which PostgreSQL refuses to turn into text: those become
 * U+FFFD, as the UTF-8 encoding of a plain text parameter makes them (rare: the first pass only looks).
 */
export function toJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (!/\\u[dD][89a-fA-F]/.test(json)) return json;
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === "string" ? item.replace(/\p{Surrogate}/gu, "\uFFFD") : item));
}

/**
 * Draws `count` ids from a table's identity sequence, ascending. Drawing them first tells which id
 * each row gets (a bulk INSERT's RETURNING order is not guaranteed) and lets rows refer to each other.
 */
export async function drawIds(client: pg.ClientBase, table: string, count: number): Promise<number[]> {
  if (count === 0) return [];
  const { rows } = await client.query<{ id: number }>(
    "SELECT nextval(pg_get_serial_sequence($1, 'id')) AS id FROM generate_series(1, $2)",
    [table, count],
  );
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

/**
 * The rows of a jsonb parameter holding an array of tuples, as a subquery with one typed column per
 * entry of `columns` (tuple position i → column i). Tuples rather than objects: half the bytes to
 * send and parse, and (v->>i) reads a jsonb array element without searching keys.
 */
export function jsonRows(param: string, columns: Columns): string {
  const fields = Object.entries(columns).map(([name, type], i) => `(r.v->>${i})::${type} AS ${name}`);
  return `(SELECT ${fields.join(", ")} FROM jsonb_array_elements(${param}::jsonb) AS r(v))`;
}

/** Column name → PostgreSQL type of its array parameter. */
export type Columns = Readonly<Record<string, string>>;

/**
 * Inserts many rows in one statement: one array parameter per column, spread by unnest, whatever
 * the number of rows. Rows are tuples in the order of `columns`.
 */
export async function insertMany(
  client: pg.ClientBase,
  table: string,
  columns: Columns,
  rows: readonly (readonly unknown[])[],
  onConflict = "",
): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(columns);
  const arrays = names.map((_, i) => rows.map((row) => row[i] ?? null));
  const unnest = names.map((name, i) => `$${i + 1}::${columns[name]}[]`).join(", ");
  await client.query(`INSERT INTO ${table} (${names.join(", ")}) SELECT * FROM unnest(${unnest}) ${onConflict}`, arrays);
}

/** Builds a WHERE clause with numbered parameters. */
export function whereBuilder() {
  const params: unknown[] = [];
  const conditions: string[] = [];
  return {
    params,
    /** Adds a parameter; returns its placeholder. */
    param(value: unknown): string {
      params.push(value);
      return `$${params.length}`;
    },
    where(condition: string): void {
      conditions.push(condition);
    },
    clause(): string {
      return conditions.length === 0 ? "" : `WHERE ${conditions.join(" AND ")}`;
    },
  };
}
