import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';

/**
 * A byte copy of SQLite files (a database with its journal or WAL) that is safe in a process
 * holding connections to them: on POSIX the copy is made by a child process (`cp`), whose
 * descriptors and their close are its own, so the locks this process holds stay where they are.
 * Windows locks byte ranges per handle, not per process; another handle's close releases nothing,
 * so there the copy is made in-process. Used only where SQLite itself cannot make the copy: a hot
 * journal (SQLite would roll it back first) and a WAL that no connection could open read-only.
 */
export function copyFileInChildProcess(source: string, dest: string): void {
  if (process.platform === 'win32') {
    copyFileSync(source, dest);
    return;
  }
  // -p keeps the times and mode; the copy is of the file as the crashed writer left it.
  execFileSync('cp', ['-p', '--', source, dest], { stdio: ['ignore', 'ignore', 'pipe'] });
}
