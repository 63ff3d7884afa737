import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConcurrentChangeError } from '../../src/core/cleanup/errors';
import { rewriteJsonl } from '../../src/core/stores/jsonl-tree/rewrite';
import { tempDir } from '../fixtures/tmp';

/**
 * The moments between reading a messages.jsonl and renaming its rewrite over it, made to happen on
 * cue: fs.statSync (the rewrite's look at the file before the rename) runs a "backend" step first.
 */
const backend = vi.hoisted(() => ({ onStat: null as null | ((path: string) => void) }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  return {
    ...real,
    statSync: ((path: fs.PathLike, options?: fs.StatSyncOptions) => {
      // The files module's checks before an open (src/core/files) are not the rewrite's look at the file.
      if (!new Error().stack?.includes('/core/files/')) backend.onStat?.(String(path));
      return real.statSync(path, options);
    }) as typeof real.statSync,
  };
});

afterEach(() => {
  backend.onStat = null;
});

const line = (id: string, parentId: string | null = null) => `${JSON.stringify({ id, parentId, type: 'user', timestamp: 1 })}\n`;

function file(): string {
  const path = join(tempDir(), 'messages.jsonl');
  fs.writeFileSync(path, line('a') + line('b', 'a') + line('c', 'b'));
  return path;
}

const tempFiles = (path: string) => fs.readdirSync(join(path, '..')).filter((f) => f.endsWith('.arbor-tmp'));

describe('rewriteJsonl against a backend writing the same file', () => {
  it('catches up with lines appended during the rewrite and keeps them', async () => {
    const path = file();
    let appends = 3;
    backend.onStat = (p) => {
      if (p === path && appends-- > 0) fs.appendFileSync(path, line(`new${appends}`, 'c'));
    };
    let commits = 0;
    const result = await rewriteJsonl(path, (id) => id === 'b', () => commits++);
    expect(commits).toBe(1);
    expect(fs.readFileSync(path, 'utf8')).toBe(line('a') + line('c', 'b') + line('new2', 'c') + line('new1', 'c') + line('new0', 'c'));
    expect(result.appendedBytes).toBe(3 * line('new0', 'c').length);
    expect(tempFiles(path)).toEqual([]);
  });

  it('drops its rewrite when the file is replaced, retries once from the new file', async () => {
    const path = file();
    let replaced = false;
    backend.onStat = (p) => {
      if (p !== path || replaced) return;
      replaced = true;
      // The backend rewrote the file itself (a new inode) between Arbor's read and its rename.
      fs.writeFileSync(`${path}.new`, line('a') + line('b', 'a') + line('c', 'b') + line('d', 'c'));
      fs.renameSync(`${path}.new`, path);
    };
    await rewriteJsonl(path, (id) => id === 'b', () => {});
    expect(fs.readFileSync(path, 'utf8')).toBe(line('a') + line('c', 'b') + line('d', 'c'));
  });

  it('reports and changes nothing when the file keeps being replaced', async () => {
    const path = file();
    let n = 0;
    backend.onStat = (p) => {
      if (p !== path) return;
      fs.writeFileSync(`${path}.new`, fs.readFileSync(path, 'utf8') + line(`r${n++}`));
      fs.renameSync(`${path}.new`, path);
    };
    const commit = vi.fn();
    await expect(rewriteJsonl(path, (id) => id === 'b', commit)).rejects.toThrow(ConcurrentChangeError);
    await expect(rewriteJsonl(path, (id) => id === 'b', commit)).rejects.toThrow(/kept changing while Arbor rewrote it .*nothing was changed and every appended line is kept/);
    backend.onStat = null;
    expect(commit).not.toHaveBeenCalled();
    expect(fs.readFileSync(path, 'utf8')).toContain(line('b', 'a'));
    expect(fs.readFileSync(path, 'utf8')).toContain(line('r0'));
    expect(tempFiles(path)).toEqual([]);
  });
});
