import { join } from 'node:path';
import type { FormatName } from '../../src/core/model/types';
import type { ExportFormat } from '../../src/core/transfer/export/export';
import { JSON_HOSTILE, SQL_HOSTILE, randomJsonText, type JsonHostile, type SqlHostile } from './hostile';
import { JSONL_GOOD, JSONL_SHAPES, JSONL_SLOTS, writeJsonlStore } from './jsonl-stores';
import { FUZZ_FULL, FUZZ_ROUNDS, pick, random } from './random';
import { SQL_LAYOUTS, withJsonValue, withSqlValue, writeSqlStore, type SqlLayout, type SqlRow } from './sql-stores';

/**
 * Every fuzz case: where the hostile value goes, how to build the store, and which exports and
 * imports to try. The default run takes every place with the values that break readers most often
 * (wrong storage class, wrong JSON shape, deep nesting), plus a seeded rotation of the rest; with
 * ARBOR_FUZZ_FULL=1 every place gets every value and every case every export format and target.
 */

export interface FuzzCase {
  name: string;
  format: FormatName;
  /** Null when the layout's own DDL refuses the value: the case cannot exist. */
  build(dir: string): { path: string; good: ReadonlyMap<string, number> } | null;
  exportFormats: ExportFormat[];
  importTargets: FormatName[];
  /** The value must be reported: a BLOB where a layout keeps text or times, a JSON value nested past the bound. */
  expectWarning: boolean;
}

const DEEP_KINDS = new Set(['deep-array', 'deep-object', 'deep-array-3000', 'deep-tool-result', 'deep-tool-result-3000']);
/** Places whose value no reader keeps (a branch's path: the tree is the truth; traits: shown as text). */
const UNREAD_PLACES = new Set(['Branch.path', 'sessions.traits', 'request_logs[1].id']);

/** Every place gets these; the rest of the catalogue rotates through the places by seed. */
const CORE_SQL = new Set(['blob-binary', 'integer', 'null', 'text-deep-json']);
const CORE_JSON = new Set(['number', 'null', 'object', 'deep-array']);
/** Through the layout's real DDL, only what its column types let through: BLOBs and odd text. */
const DECLARED_SQL = new Set(['blob-binary', 'text-invalid-utf8']);
const EXTRA_PER_PLACE = 1;
const OTHER_FORMATS: ExportFormat[] = ['json', 'md', 'html'];
const LAYOUTS: FormatName[] = ['sqlite-json-history', 'jsonl-tree', 'sqlite-chat-history', 'sqlite-tenant-messages', 'sqlite-provider-sessions'];

function chosen<T extends { kind: string; heavy?: boolean }>(all: readonly T[], core: Set<string>, rnd: () => number): T[] {
  if (FUZZ_FULL) return [...all];
  const rest = all.filter((v) => !core.has(v.kind));
  const extra = new Set<T>();
  while (extra.size < Math.min(EXTRA_PER_PLACE, rest.length)) extra.add(pick(rnd, rest));
  return [...all.filter((v) => core.has(v.kind)), ...extra];
}

function targets(format: FormatName, rnd: () => number): { exportFormats: ExportFormat[]; importTargets: FormatName[] } {
  const others = LAYOUTS.filter((l) => l !== format);
  if (FUZZ_FULL) return { exportFormats: OTHER_FORMATS, importTargets: LAYOUTS };
  return { exportFormats: [pick(rnd, OTHER_FORMATS)], importTargets: [pick(rnd, others)] };
}

function sqlCase(layout: SqlLayout, name: string, rows: () => SqlRow[], rnd: () => number, declared = false, expectWarning = false): FuzzCase {
  return {
    name: `${layout.format} ${name}`,
    format: layout.format,
    expectWarning,
    build: (dir) => {
      const path = writeSqlStore(dir, layout, rows(), declared);
      return path === null ? null : { path, good: layout.good };
    },
    ...targets(layout.format, rnd),
  };
}

function sqlCases(layout: SqlLayout, rnd: () => number): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const rows = layout.hostileRows();
  rows.forEach((row, r) => {
    for (const column of Object.keys(row.values)) {
      for (const value of chosen(SQL_HOSTILE, CORE_SQL, rnd)) {
        const place = `${row.table}[${r}].${column}`;
        cases.push(sqlCase(layout, `${place} = ${value.kind}`, () => withSqlValue(layout.hostileRows(), r, column, value), rnd, false, value.kind.startsWith('blob') && !UNREAD_PLACES.has(place)));
      }
      for (const value of SQL_HOSTILE.filter((v) => FUZZ_FULL ? v.kind.startsWith('blob') || v.kind.startsWith('text-') : DECLARED_SQL.has(v.kind))) {
        const place = `${row.table}[${r}].${column}`;
        cases.push(sqlCase(layout, `declared ${place} = ${value.kind}`, () => withSqlValue(layout.hostileRows(), r, column, value), rnd, true, value.kind.startsWith('blob') && !UNREAD_PLACES.has(place)));
      }
    }
  });
  for (const slot of layout.jsonSlots) {
    for (const value of chosen(JSON_HOSTILE, CORE_JSON, rnd)) {
      cases.push(sqlCase(layout, `${slot.name} = ${value.kind}`, () => withJsonValue(layout.hostileRows(), slot, value), rnd, false, DEEP_KINDS.has(value.kind) && !UNREAD_PLACES.has(slot.name)));
    }
  }
  // Keys a typeless table does not keep unique: the hostile session's row twice, a message row's id twice.
  cases.push(sqlCase(layout, 'the session row twice', () => [...layout.hostileRows(), layout.hostileRows()[0]], rnd, false, true));
  cases.push(
    sqlCase(layout, 'a message row twice, other content', () => {
      const rows = layout.hostileRows();
      const last = rows[rows.length - 1];
      return [...rows, { ...last, values: { ...last.values, ...('content' in last.values ? { content: 'again' } : {}), ...('response' in last.values ? { response: 'again' } : {}) } }];
    }, rnd),
  );
  for (let round = 0; round < FUZZ_ROUNDS; round++) {
    const seed = Math.floor(rnd() * 2 ** 31);
    cases.push(sqlCase(layout, `random mix #${round} (seed ${seed})`, () => randomSqlRows(layout, random(seed)), rnd));
  }
  return cases;
}

/** Three hostile cells at random places of the hostile rows, JSON columns with random JSON. */
function randomSqlRows(layout: SqlLayout, rnd: () => number): SqlRow[] {
  let rows = layout.hostileRows();
  for (let k = 0; k < 3; k++) {
    if (layout.jsonSlots.length && rnd() < 0.5) {
      rows = withJsonValue(rows, pick(rnd, layout.jsonSlots), { kind: 'random', text: randomJsonText(rnd) });
    } else {
      const r = Math.floor(rnd() * rows.length);
      const value: SqlHostile = pick(rnd, SQL_HOSTILE.filter((v) => !v.heavy));
      rows = withSqlValue(rows, r, pick(rnd, Object.keys(rows[r].values)), value);
    }
  }
  return rows;
}

function jsonlCase(name: string, parts: () => Parameters<typeof writeJsonlStore>[1], rnd: () => number, expectWarning = false): FuzzCase {
  return {
    name: `jsonl-tree ${name}`,
    format: 'jsonl-tree',
    expectWarning,
    build: (dir) => ({ path: writeJsonlStore(join(dir, 'store'), parts()), good: JSONL_GOOD }),
    ...targets('jsonl-tree', rnd),
  };
}

function jsonlCases(rnd: () => number): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (const slot of JSONL_SLOTS) {
    for (const value of chosen(JSON_HOSTILE, CORE_JSON, rnd)) {
      cases.push(jsonlCase(`${slot.name} = ${value.kind}`, () => slot.parts(value), rnd, DEEP_KINDS.has(value.kind) && !UNREAD_PLACES.has(slot.name)));
    }
  }
  for (const shape of JSONL_SHAPES) cases.push(jsonlCase(shape.name, () => shape.parts(), rnd));
  for (let round = 0; round < FUZZ_ROUNDS; round++) {
    const seed = Math.floor(rnd() * 2 ** 31);
    const r = random(seed);
    const slot = pick(r, JSONL_SLOTS);
    const value: JsonHostile = { kind: 'random', text: randomJsonText(r) };
    cases.push(jsonlCase(`random ${slot.name} #${round} (seed ${seed})`, () => slot.parts(value), rnd));
  }
  return cases;
}

export function fuzzCases(seed: number): Map<FormatName, FuzzCase[]> {
  const rnd = random(seed);
  const byLayout = new Map<FormatName, FuzzCase[]>();
  byLayout.set('jsonl-tree', jsonlCases(rnd));
  for (const layout of SQL_LAYOUTS) byLayout.set(layout.format, sqlCases(layout, rnd));
  return byLayout;
}
