import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** Starts a child process that holds `path` under BEGIN EXCLUSIVE (rollback journal) until `release()`. */
export async function lockStore(path: string): Promise<{ child: ChildProcess; release: () => Promise<void> }> {
  const child = spawn('python3', [join(import.meta.dirname, 'store-locker.py'), path], { stdio: ['pipe', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('locked')) resolve();
    });
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => reject(new Error(`the locker exited with ${code}: ${out}`)));
  });
  return {
    child,
    release: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}
