import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atomicWriteFile, commitTemp, writeNewFile, writeTempBeside } from '../../src/core/safety/atomic-write';
import { ReadOnlyStoreError } from '../../src/core/safety/errors';
import { trashRoot } from '../../src/core/safety/trash-dir';
import { assertWritable } from '../../src/core/safety/writable';
import { tempDir } from '../fixtures/tmp';

describe('atomicWriteFile', () => {
  it('replaces a file whole, keeps its mode and leaves no temp file behind', () => {
    const dir = tempDir();
    const path = join(dir, 'sessions.json');
    writeFileSync(path, 'old');
    chmodSync(path, 0o640);
    atomicWriteFile(path, 'new ✓');
    expect(readFileSync(path, 'utf8')).toBe('new ✓');
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['sessions.json']);
  });

  it('creates a missing file', () => {
    const path = join(tempDir(), 'new.json');
    atomicWriteFile(path, Buffer.from([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
  });

  it('leaves the original untouched until the temp file is committed', () => {
    const dir = tempDir();
    const path = join(dir, 'messages.jsonl');
    writeFileSync(path, 'a\n');
    const temp = writeTempBeside(path, 'b\n');
    expect(readFileSync(path, 'utf8')).toBe('a\n');
    expect(temp.startsWith(join(dir, '.messages.jsonl.'))).toBe(true);
    commitTemp(temp, path);
    expect(readFileSync(path, 'utf8')).toBe('b\n');
    expect(readdirSync(dir)).toEqual(['messages.jsonl']);
  });
});

const asRoot = process.getuid?.() === 0;

describe('atomicWriteFile keeps who may use the file', () => {
  it('keeps the mode exactly, whatever the umask', () => {
    const dir = tempDir();
    const path = join(dir, 'messages.jsonl');
    writeFileSync(path, 'old\n');
    chmodSync(path, 0o664);
    const umask = process.umask(0o077);
    try {
      atomicWriteFile(path, 'new\n');
      writeNewFile(join(dir, 'branches.json'), '[]', { uid: statSync(path).uid, gid: statSync(path).gid, mode: 0o664 });
    } finally {
      process.umask(umask);
    }
    expect(statSync(path).mode & 0o7777).toBe(0o664);
    expect(statSync(join(dir, 'branches.json')).mode & 0o7777).toBe(0o664);
  });

  it.skipIf(!asRoot)('gives a file owned by another user (the backend) back to it, group included', () => {
    const dir = tempDir();
    const path = join(dir, 'sessions.json');
    writeFileSync(path, '{}');
    chownSync(path, 1234, 1235);
    chmodSync(path, 0o660);
    atomicWriteFile(path, '{"sessions":{}}');
    const st = statSync(path);
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([1234, 1235, 0o660]);
  });

  it.skipIf(!asRoot)('refuses, changing nothing, when this user could not give the file back to its owner', () => {
    const dir = tempDir();
    chmodSync(dir, 0o777);
    const path = join(dir, 'sessions.json');
    writeFileSync(path, 'old');
    chownSync(path, 1235, 1235);
    chmodSync(path, 0o666);
    // As uid 1234, who may write the file (mode 0666) but not give a new one to uid 1235.
    const script = `import { atomicWriteFile } from ${JSON.stringify(join(import.meta.dirname, '../../src/core/safety/atomic-write.ts'))};
try { atomicWriteFile(${JSON.stringify(path)}, 'new'); console.log('wrote'); } catch (e) { console.log(e.name + ': ' + e.message); }`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { uid: 1234, gid: 1234, encoding: 'utf8', cwd: join(import.meta.dirname, '../..'), env: { ...process.env, HOME: dir } });
    expect(child.stdout).toMatch(/^OwnerChangeError: .*sessions\.json: .*belongs to uid 1235.*nothing was changed/);
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(statSync(path).uid).toBe(1235);
    expect(readdirSync(dir)).toEqual(['sessions.json']);
  });
});

describe('assertWritable', () => {
  it('refuses a file marked read-only even for root, naming the file', () => {
    const path = join(tempDir(), 'sessions.db');
    writeFileSync(path, 'x');
    chmodSync(path, 0o444);
    expect(() => assertWritable([path])).toThrow(ReadOnlyStoreError);
    expect(() => assertWritable([path])).toThrow(/sessions\.db: the file is read-only \(its mode is 0444\)/);
  });

  it('refuses a read-only folder (temp files and journals go beside the file)', () => {
    const dir = tempDir();
    const path = join(dir, 'messages.jsonl');
    writeFileSync(path, 'x');
    chmodSync(dir, 0o555);
    try {
      expect(() => assertWritable([path])).toThrow(/the folder is read-only/);
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it('accepts writable files and files still to be created', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a'), 'x');
    expect(() => assertWritable([join(dir, 'a'), join(dir, 'b')])).not.toThrow();
  });
});

describe('trashRoot', () => {
  it('prefers ARBOR_TRASH_DIR, then the per-user data folder of each OS', () => {
    expect(trashRoot({ ARBOR_TRASH_DIR: '/x/trash' }, 'linux', '/home/u')).toBe('/x/trash');
    expect(trashRoot({}, 'linux', '/home/u')).toBe('/home/u/.local/share/arbor/trash');
    expect(trashRoot({ XDG_DATA_HOME: '/data' }, 'linux', '/home/u')).toBe('/data/arbor/trash');
    expect(trashRoot({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/Arbor/trash');
    expect(trashRoot({ APPDATA: 'C:/Users/u/AppData/Roaming' }, 'win32', 'C:/Users/u')).toMatch(/^C:\/Users\/u\/AppData\/Roaming.Arbor.trash$/);
  });
});
