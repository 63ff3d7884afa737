import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ApiError } from '../../../shared/errors';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol';

type Outgoing = ToWorker extends infer T ? (T extends { id: number } ? Omit<T, 'id'> : never) : never;

interface Job {
  id: number;
  message: Outgoing;
  resolve: (reply: Extract<FromWorker, { kind: 'reply' }>) => void;
  reject: (error: Error) => void;
  /** The caller gave up (aborted): its answer, if the worker is already at it, is thrown away. */
  discarded: boolean;
}

/**
 * One service worker and its queue. Jobs go to the worker one at a time, in order, so the queue
 * lives here, on the host's thread: a call queued behind a slow one can be dropped before it starts.
 * better-sqlite3 is synchronous, so a call the worker has started cannot be stopped; cancelling it
 * only throws its answer away (the caller is told at once, the worker finishes and moves on).
 * `urgent` jobs (progress.get) skip the queue: the worker answers them between the awaits of a
 * long export or import.
 */
export class Lane {
  readonly worker: Worker;
  readonly sources = new Set<string>();
  private readonly queue: Job[] = [];
  private readonly sent = new Map<number, Job>();
  private running: Job | null = null;
  private idleWaiters: Array<() => void> = [];
  private nextId = 1;
  private dead: Error | null = null;
  private terminated = false;

  constructor(
    entry: string,
    setup: WorkerSetup,
    private readonly onEvent: (lane: Lane, message: Exclude<FromWorker, { kind: 'reply' | 'ready' }>) => void,
    private readonly onExit: (lane: Lane) => void,
  ) {
    this.worker = startWorker(entry, setup);
    this.worker.on('message', (message: FromWorker) => this.receive(message));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the store worker stopped (exit code ${code})`)));
  }

  get idle(): boolean {
    return this.running === null && this.queue.length === 0 && this.sent.size === 0;
  }

  /** Runs `fn` once nothing is queued or running (at once when idle now). */
  whenIdle(fn: () => void): void {
    if (this.idle) fn();
    else this.idleWaiters.push(fn);
  }

  /** Queues a job; resolves with the worker's reply, rejects with `cancelled` when `signal` aborts first. */
  submit(message: Outgoing, options: { signal?: AbortSignal; urgent?: boolean } = {}): Promise<Extract<FromWorker, { kind: 'reply' }>> {
    if (this.dead) return Promise.reject(this.dead);
    if (options.signal?.aborted) return Promise.reject(cancelled());
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.nextId++, message, resolve, reject, discarded: false };
      options.signal?.addEventListener(
        'abort',
        () => {
          const queued = this.queue.indexOf(job);
          if (queued >= 0) this.queue.splice(queued, 1);
          else job.discarded = true;
          reject(cancelled());
        },
        { once: true },
      );
      if (options.urgent) this.send(job);
      else {
        this.queue.push(job);
        this.pump();
      }
    });
  }

  terminate(): Promise<number> {
    this.terminated = true;
    this.fail(new ApiError('failed', 'The store worker was closed.'));
    return this.worker.terminate();
  }

  private pump(): void {
    if (this.running || this.dead) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    this.send(job);
  }

  private send(job: Job): void {
    this.sent.set(job.id, job);
    this.worker.postMessage({ ...job.message, id: job.id } as ToWorker);
  }

  private receive(message: FromWorker): void {
    if (message.kind === 'ready') return;
    if (message.kind !== 'reply') {
      this.onEvent(this, message);
      return;
    }
    const job = this.sent.get(message.id);
    this.sent.delete(message.id);
    if (job && !job.discarded) job.resolve(message);
    if (job && job === this.running) {
      this.running = null;
      this.pump();
    }
    if (this.idle && this.idleWaiters.length) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      // After the reply's own continuations: the caller sees its answer before the worker goes.
      queueMicrotask(() => waiters.forEach((fn) => fn()));
    }
  }

  private fail(error: Error): void {
    const first = this.dead === null;
    this.dead ??= error;
    const failure = new ApiError('failed', `The store worker failed: ${error.message}`);
    for (const job of [...this.sent.values(), ...this.queue]) if (!job.discarded) job.reject(failure);
    this.sent.clear();
    this.queue.length = 0;
    this.running = null;
    if (first && !this.terminated) this.onExit(this);
  }
}

const cancelled = () => new ApiError('cancelled', 'The call was cancelled: its answer is no longer wanted.');

/**
 * Starts the worker from its built file, or under vitest/tsx from the TypeScript source: the worker
 * then registers tsx's loader before importing its entry (a worker does not inherit the loader the
 * test runner uses).
 */
function startWorker(entry: string, setup: WorkerSetup): Worker {
  if (!entry.endsWith('.ts')) return new Worker(entry, { workerData: setup });
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const code = `import(${JSON.stringify(api)}).then((tsx) => tsx.register()).then(() => import(${JSON.stringify(pathToFileURL(entry).href)}))`;
  return new Worker(code, { eval: true, workerData: setup });
}
