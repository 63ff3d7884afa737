/**
 * Concurrent-writer trials: a backend process (backend.py) commits throughout while Arbor runs one
 * cleanup or import on the same SQLite store; afterwards the store must pass `PRAGMA integrity_check`
 * and hold every row the backend committed and every seeded row the plan did not name.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { applyCleanup } from '../../src/core/catalog';
import { planCleanup } from '../../src/core/catalog';
import type { CleanupPlan, CleanupResult } from '../../src/core/cleanup/types';
import { listTrash } from '../../src/core/safety/trash';
import { importSessions } from '../../src/core/catalog';
import { tempDir } from '../fixtures/tmp';
import { TRIAL_LAYOUTS, type KeyedRow, type SqliteLayout, type TrialOperation } from './trial-layouts';

export type JournalMode = 'rollback' | 'wal';

const BACKEND = join(import.meta.dirname, 'backend.py');

/** One python3 process that serves every trial of a test file, one store at a time. */
export class BackendProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly replies: string[] = [];
  private waiting: ((line: string) => void) | null = null;
  private stderr = '';

  constructor() {
    this.child = spawn('python3', [BACKEND], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      if (this.waiting) {
        const resolve = this.waiting;
        this.waiting = null;
        resolve(line);
      } else this.replies.push(line);
    });
  }

  private ask(message: object): Promise<unknown> {
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
    const queued = this.replies.shift();
    const line =
      queued !== undefined
        ? Promise.resolve(queued)
        : new Promise<string>((resolve, reject) => {
            const exited = (code: number | null) => reject(new Error(`backend.py exited (${code}): ${this.stderr}`));
            this.child.once('exit', exited);
            this.waiting = (reply) => {
              this.child.off('exit', exited);
              resolve(reply);
            };
          });
    return line.then((l) => JSON.parse(l) as unknown);
  }

  async start(layout: SqliteLayout, path: string): Promise<void> {
    await this.ask({ cmd: 'start', layout, path });
  }

  async stop(): Promise<{ keys: string[]; errors: string[] }> {
    return (await this.ask({ cmd: 'stop' })) as { keys: string[]; errors: string[] };
  }

  close(): void {
    this.child.stdin.end();
  }
}

export interface TrialResult {
  layout: SqliteLayout;
  mode: JournalMode;
  operation: string;
  /** What applyCleanup / importSessions did: applied, nothing (empty plan), or the error's name. */
  outcome: string;
  error: string | null;
  integrity: string;
  backendCommits: number;
  backendErrors: string[];
  /** Committed backend rows missing afterwards. */
  backendLost: string[];
  /** Seeded rows missing afterwards that the plan did not name. */
  seededLost: string[];
  /** Rows the import wrote that are missing after it reported success. */
  importedLost: string[];
  /** When the operation failed: whether its backup is still in the trash. */
  backupKept: boolean | null;
}

function openTest(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('busy_timeout = 10000');
  return db;
}

function createStore(layout: SqliteLayout, mode: JournalMode, dir: string, nowMs: number): string {
  const path = join(dir, 'store.db');
  const db = openTest(path);
  try {
    if (mode === 'wal') db.pragma('journal_mode = WAL');
    // Orphaned rows are part of the seed (repair removes them); the backends run without foreign keys too.
    db.pragma('foreign_keys = OFF');
    db.transaction(() => TRIAL_LAYOUTS[layout].seed(db, nowMs))();
  } finally {
    db.close();
  }
  return path;
}

function readRows(path: string, layout: SqliteLayout): { rows: KeyedRow[]; integrity: string } {
  const db = openTest(path);
  try {
    const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
    let rows: KeyedRow[] = [];
    try {
      rows = TRIAL_LAYOUTS[layout].rows(db);
    } catch (error) {
      return { rows, integrity: `${integrity} (rows unreadable: ${(error as Error).message})` };
    }
    return { rows, integrity };
  } catch (error) {
    return { rows: [], integrity: `unreadable: ${(error as Error).message}` };
  } finally {
    db.close();
  }
}

/** An Arbor JSON-lines export of four small sessions, the input of every import trial. */
export function writeImportInput(dir: string, nowMs: number): string {
  const file = join(dir, 'import.jsonl');
  const lines: string[] = [];
  for (let s = 0; s < 4; s++) {
    const id = `imp-${s}`;
    lines.push(JSON.stringify({ arbor: 'session', version: 1, session: { id, title: null, createdAt: nowMs, updatedAt: nowMs, source: { format: 'jsonl-tree', path: '/elsewhere' }, metadata: {}, messageCount: 2, branchCount: 0 } }));
    lines.push(JSON.stringify({ id: `${id}-q`, parentId: null, type: 'user', role: 'user', timestamp: nowMs, content: [{ type: 'text', text: `im-${s}-0` }] }));
    lines.push(JSON.stringify({ id: `${id}-a`, parentId: `${id}-q`, type: 'assistant', role: 'assistant', timestamp: nowMs + 1, content: [{ type: 'text', text: `im-${s}-1` }] }));
  }
  lines.push(JSON.stringify({ arbor: 'end', sessions: 4 }));
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Seeded rows a plan names: every row of a session it deletes, the messages it prunes. */
function namedByPlan(plan: CleanupPlan | null, rows: readonly KeyedRow[]): Set<string> {
  const named = new Set<string>();
  if (!plan) return named;
  for (const item of plan.items) {
    if (item.action === 'delete-session' || item.action === 'delete-orphaned-rows') {
      for (const r of rows) if (r.session === item.sessionId) named.add(r.key);
    }
    if (item.action === 'prune-messages') {
      const ids = new Set(item.messageIds ?? []);
      for (const r of rows) if (r.session === item.sessionId && r.messageId !== null && ids.has(r.messageId)) named.add(r.key);
    }
  }
  return named;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runTrial(backend: BackendProcess, layout: SqliteLayout, mode: JournalMode, op: TrialOperation, trashDir: string): Promise<TrialResult> {
  const nowMs = Date.now();
  const dir = tempDir('arbor-trial-');
  const path = createStore(layout, mode, dir, nowMs);
  const seeded = readRows(path, layout).rows;
  const resolved = resolveOperation(path, layout, op);
  const input = op.cleanup === null ? writeImportInput(dir, nowMs) : null;
  await backend.start(layout, path);
  await pause(5);
  let plan: CleanupPlan | null = null;
  let outcome = 'applied';
  let error: string | null = null;
  let backupKept: boolean | null = null;
  let imported = false;
  const trashBefore = new Set(listTrash(trashDir).entries.map((e) => e.id));
  try {
    if (resolved.cleanup) {
      plan = planCleanup(path, resolved.cleanup, { now: () => nowMs });
      const result: CleanupResult = await applyCleanup(plan, { trashDir });
      if (!result.backup) outcome = 'nothing to do';
    } else {
      await importSessions(input!, { into: path, tenant: TRIAL_LAYOUTS[layout].importTenant ?? 't-imp', trashRoot: trashDir, now: nowMs });
      imported = true;
    }
  } catch (e) {
    outcome = (e as Error).name;
    error = (e as Error).message;
    backupKept = listTrash(trashDir).entries.some((entry) => !trashBefore.has(entry.id));
  }
  await pause(5);
  const written = await backend.stop();
  const after = readRows(path, layout);
  const present = new Set(after.rows.map((r) => r.key));
  const named = namedByPlan(plan, seeded);
  return {
    layout,
    mode,
    operation: op.name,
    outcome,
    error,
    integrity: after.integrity,
    backendCommits: written.keys.length,
    backendErrors: written.errors,
    backendLost: written.keys.filter((k) => !present.has(k)),
    seededLost: seeded.filter((r) => !named.has(r.key) && !present.has(r.key)).map((r) => r.key),
    importedLost: imported ? [0, 1, 2, 3].map((s) => `session:imp-${s}`).filter((k) => !present.has(k)) : [],
    backupKept,
  };
}

/** Operations that name rows by id are resolved against the fresh store (row ids differ per store). */
function resolveOperation(path: string, layout: SqliteLayout, op: TrialOperation): TrialOperation {
  if (op.cleanup === null || op.name !== 'prune' || layout !== 'sqlite-chat-history') return op;
  const db = openTest(path);
  try {
    return TRIAL_LAYOUTS[layout].operations(db).find((o) => o.name === 'prune')!;
  } finally {
    db.close();
  }
}

export interface TrialRow {
  layout: SqliteLayout;
  mode: JournalMode;
  operation: string;
  trials: number;
  integrityOk: number;
  rowsLost: number;
  backendCommits: number;
  outcomes: Map<string, number>;
  failedWithoutBackup: number;
}

export function tally(results: readonly TrialResult[]): TrialRow[] {
  const rows = new Map<string, TrialRow>();
  for (const r of results) {
    const id = `${r.layout}|${r.mode}|${r.operation}`;
    let row = rows.get(id);
    if (!row) {
      row = { layout: r.layout, mode: r.mode, operation: r.operation, trials: 0, integrityOk: 0, rowsLost: 0, backendCommits: 0, outcomes: new Map(), failedWithoutBackup: 0 };
      rows.set(id, row);
    }
    row.trials++;
    if (r.integrity === 'ok') row.integrityOk++;
    row.rowsLost += r.backendLost.length + r.seededLost.length + r.importedLost.length;
    row.backendCommits += r.backendCommits;
    row.outcomes.set(r.outcome, (row.outcomes.get(r.outcome) ?? 0) + 1);
    if (r.backupKept === false) row.failedWithoutBackup++;
  }
  return [...rows.values()];
}

export function formatTable(rows: readonly TrialRow[]): string {
  const header = ['layout', 'journal', 'operation', 'trials', 'integrity ok', 'rows lost', 'backend commits', 'outcomes', 'failed, backup gone'];
  const body = rows.map((r) => [
    r.layout,
    r.mode,
    r.operation,
    String(r.trials),
    `${r.integrityOk}/${r.trials}`,
    String(r.rowsLost),
    String(r.backendCommits),
    [...r.outcomes].map(([k, v]) => `${k} ${v}`).join(', '),
    String(r.failedWithoutBackup),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
