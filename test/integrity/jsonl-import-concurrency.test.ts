import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listTrash } from '../../src/core/safety/trash';
import { importSessions } from '../../src/core/catalog';
import { JsonlTreeStore, msg } from '../fixtures/jsonl-tree';
import { tempDir } from '../fixtures/tmp';
import { exportStore } from '../transfer/helpers';

/**
 * Imports into a JSONL tree store while its backend, in another process, appends to two sessions:
 * one the import leaves alone and one it replaces every time. No append may fail (the replaced
 * session's folder and file are never missing), and every appended line must be in the store or in
 * the trash — in a backup, or kept aside because it reached a file after the backup — never dropped.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const APPENDER = join(import.meta.dirname, 'jsonl-appender.ts');

function startAppender(count: number, files: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', APPENDER, String(count), ...files], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let running = true;
  let onStart: () => void;
  const started = new Promise<void>((resolve) => (onStart = resolve));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.startsWith('started\n')) onStart();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const finished = new Promise<{ written: Record<string, string[]>; errors: string[] }>((resolve, reject) =>
    child.on('exit', (code) => {
      running = false;
      if (code === 0) resolve(JSON.parse(out.split('\n')[1]));
      else reject(new Error(`appender failed (${code}): ${err}`));
    }),
  );
  return { started, finished, running: () => running };
}

const idsIn = (text: string) => text.split('\n').filter(Boolean).flatMap((line) => {
  try {
    return [(JSON.parse(line) as { id: string }).id];
  } catch {
    return [];
  }
});

describe('an import while the backend appends', () => {
  it('fails no append and loses no appended line, in the replaced session or any other', async () => {
    const trash = tempDir('arbor-trash-');
    const target = new JsonlTreeStore();
    const chain = (p: string, n: number) => Array.from({ length: n }, (_, k) => msg(`${p}${k}`, k ? `${p}${k - 1}` : null, k % 2 ? 'assistant' : 'user', `${p} ${k} ${'text '.repeat(20)}`));
    target.session('live', chain('l', 20), {}, 'user:live');
    target.session('rep', chain('r', 20), {}, 'user:rep');
    for (let i = 0; i < 30; i++) target.session(`bulk${i}`, chain(`b${i}-`, 30));
    const source = new JsonlTreeStore();
    source.session('rep', chain('n', 40), {}, 'user:rep');
    source.branches('rep', [{ name: 'main', leafMessageId: 'n39', createdAt: 1, path: [] }]);
    for (let i = 0; i < 30; i++) source.session(`new${i}`, chain(`m${i}-`, 30));
    const input = join(tempDir(), 'input.jsonl');
    await exportStore(source.root, input);

    const live = join(target.root, 'live', 'messages.jsonl');
    const rep = join(target.root, 'rep', 'messages.jsonl');
    const appender = startAppender(1500, [live, rep]);
    await appender.started;
    let imports = 0;
    const warnings: string[] = [];
    while (appender.running() && imports < 200) {
      const report = await importSessions(input, { into: target.root, onConflict: 'replace', trashRoot: trash });
      warnings.push(...report.warnings);
      imports++;
      // An import never waits for I/O; let the appender's exit be seen.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const { written, errors } = await appender.finished;
    expect(errors, 'a backend append failed').toEqual([]);
    expect(imports).toBeGreaterThan(2);

    const liveIds = idsIn(readFileSync(live, 'utf8'));
    for (const id of written[live]) expect(liveIds.filter((x) => x === id), `${id} in the untouched session`).toHaveLength(1);

    // The replaced session's lines: in the store now, or in a trash entry (a backup, or kept aside).
    const trashed = new Set<string>();
    const kept = listTrash(trash).entries.filter((e) => e.operation === 'kept-aside');
    for (const entry of listTrash(trash).entries) {
      for (const f of entry.files) if (f.copy && f.original === rep) for (const id of idsIn(readFileSync(join(trash, entry.id, f.copy), 'utf8'))) trashed.add(id);
    }
    const inStore = new Set(idsIn(readFileSync(rep, 'utf8')));
    const lost = written[rep].filter((id) => !inStore.has(id) && !trashed.has(id));
    expect(lost, 'lines appended to the replaced session and found nowhere').toEqual([]);
    for (const entry of kept) expect(warnings.some((w) => w.includes(entry.id)), `no import said it kept ${entry.id}`).toBe(true);
    expect(readdirSync(target.root).filter((n) => n.startsWith('.arbor'))).toEqual([]);
    console.log(
      `JSONL imports during ${written[live].length + written[rep].length} appends: ${JSON.stringify({ imports, keptAsideEntries: kept.length, replacedSessionLines: written[rep].length, ofThemInStore: written[rep].filter((id) => inStore.has(id)).length })}`,
    );
  }, 120_000);
});
