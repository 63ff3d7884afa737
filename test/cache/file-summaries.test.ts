import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSummaryCache } from '../../src/core/cache/file-summaries';

/** The list cache: kept across runs, valid only for the same size and mtime, rebuilt when damaged. */

const dirs: string[] = [];
function root(): string {
  const dir = mkdtempSync(join(tmpdir(), 'arbor-cache-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('FileSummaryCache', () => {
  it('keeps a summary across runs while the file is unchanged, and forgets it when it changes', () => {
    const dir = root();
    const first = new FileSummaryCache<{ title: string }>('test@1', { root: dir });
    first.set('/p/a.jsonl', { size: 10, mtimeMs: 1000.5 }, { title: 'A' });
    first.close();
    const second = new FileSummaryCache<{ title: string }>('test@1', { root: dir });
    expect(second.get('/p/a.jsonl', { size: 10, mtimeMs: 1000.5 })).toEqual({ title: 'A' });
    expect(second.get('/p/a.jsonl', { size: 11, mtimeMs: 1000.5 })).toBeUndefined();
    expect(second.get('/p/a.jsonl', { size: 10, mtimeMs: 1001 })).toBeUndefined();
    second.close();
  });

  it('keeps namespaces apart, so a new summary shape starts empty', () => {
    const dir = root();
    const v1 = new FileSummaryCache<number>('layout@1', { root: dir });
    v1.set('/f', { size: 1, mtimeMs: 1 }, 1);
    v1.close();
    const v2 = new FileSummaryCache<number>('layout@2', { root: dir });
    expect(v2.get('/f', { size: 1, mtimeMs: 1 })).toBeUndefined();
    v2.close();
  });

  it('drops entries of files that are gone', () => {
    const dir = root();
    const cache = new FileSummaryCache<number>('t@1', { root: dir });
    cache.set('/p/a', { size: 1, mtimeMs: 1 }, 1);
    cache.set('/p/b', { size: 1, mtimeMs: 1 }, 2);
    cache.set('/q/c', { size: 1, mtimeMs: 1 }, 3);
    cache.flush();
    cache.forgetMissing(new Set(['/p/a']), '/p/');
    cache.close();
    const again = new FileSummaryCache<number>('t@1', { root: dir });
    expect(again.get('/p/a', { size: 1, mtimeMs: 1 })).toBe(1);
    expect(again.get('/p/b', { size: 1, mtimeMs: 1 })).toBeUndefined();
    expect(again.get('/q/c', { size: 1, mtimeMs: 1 })).toBe(3);
    again.close();
  });

  it('starts again from empty when its file is damaged, and works in memory when the folder cannot hold it', () => {
    const dir = root();
    writeFileSync(join(dir, 'file-summaries.db'), 'this is not a database, it is garbage '.repeat(100));
    const rebuilt = new FileSummaryCache<number>('t@1', { root: dir });
    rebuilt.set('/x', { size: 1, mtimeMs: 1 }, 7);
    rebuilt.close();
    expect(new FileSummaryCache<number>('t@1', { root: dir }).get('/x', { size: 1, mtimeMs: 1 })).toBe(7);

    const file = join(root(), 'a-file');
    writeFileSync(file, '');
    const memory = new FileSummaryCache<number>('t@1', { root: join(file, 'below-a-file') });
    memory.set('/y', { size: 2, mtimeMs: 2 }, 9);
    expect(memory.get('/y', { size: 2, mtimeMs: 2 })).toBe(9);
    memory.close();
  });
});
