import { formatMarkdown, type Formatted } from './pipeline';
import type { FormatRequest, FormatResponse } from './worker';

/**
 * Hands markdown to the formatting worker, one job at a time, each with a time budget: a job that
 * overruns ends the worker (the only way to stop a parse) and its message shows as plain text; the
 * next job gets a fresh worker. Results are kept (by text) so a message scrolled back into view
 * draws at once. Where no worker can start (a host that refuses them), jobs run on the UI thread,
 * one per task and only up to a smaller estimated cost, so the window stays responsive between them.
 */

/** Time a worker may spend on one message before it is ended and the message shown as text. */
export const FORMAT_BUDGET_MS = 2_000;
/** Without a worker, the most estimated parse work (µs) one message may do on the UI thread. */
const UI_THREAD_COST = 100_000;
/** Formatted results kept, counted in characters of their source text. */
const CACHE_CHARS = 8_000_000;

interface Job {
  text: string;
  cost: number;
  resolve: (result: Formatted) => void;
}

class MarkdownFormatter {
  private worker: Worker | null = null;
  private noWorker = false;
  private queue: Job[] = [];
  private running: { id: number; job: Job; timer: ReturnType<typeof setTimeout> } | null = null;
  private nextId = 1;
  private readonly cache = new Map<string, Formatted>();
  private cacheChars = 0;
  private readonly pending = new Map<string, Promise<Formatted>>();

  /** A result already at hand for this text, or null. */
  peek(text: string): Formatted | null {
    const hit = this.cache.get(text);
    if (!hit) return null;
    // Most recently used last: the Map's order is the eviction order.
    this.cache.delete(text);
    this.cache.set(text, hit);
    return hit;
  }

  format(text: string, cost: number): Promise<Formatted> {
    const hit = this.peek(text);
    if (hit) return Promise.resolve(hit);
    const waiting = this.pending.get(text);
    if (waiting) return waiting;
    const promise = new Promise<Formatted>((resolve) => {
      this.queue.push({ text, cost, resolve });
      this.pump();
    }).then((result) => {
      this.pending.delete(text);
      this.remember(text, result);
      return result;
    });
    this.pending.set(text, promise);
    return promise;
  }

  private remember(text: string, result: Formatted): void {
    if (text.length > CACHE_CHARS) return;
    this.cache.set(text, result);
    this.cacheChars += text.length;
    for (const key of this.cache.keys()) {
      if (this.cacheChars <= CACHE_CHARS) break;
      this.cache.delete(key);
      this.cacheChars -= key.length;
    }
  }

  private pump(): void {
    if (this.running || !this.queue.length) return;
    const job = this.queue.shift()!;
    const worker = this.ensureWorker();
    if (!worker) {
      this.onUiThread(job);
      return;
    }
    const id = this.nextId++;
    const timer = setTimeout(() => {
      // The parse is stuck in a shape the pre-scan did not foresee: end it, show the text plain.
      this.endWorker();
      this.finish(id, { kind: 'plain', limit: { kind: 'time', count: FORMAT_BUDGET_MS } });
    }, FORMAT_BUDGET_MS);
    this.running = { id, job, timer };
    worker.postMessage({ id, text: job.text } satisfies FormatRequest);
  }

  private finish(id: number, result: Formatted): void {
    if (this.running?.id !== id) return;
    clearTimeout(this.running.timer);
    const { job } = this.running;
    this.running = null;
    job.resolve(result);
    this.pump();
  }

  private ensureWorker(): Worker | null {
    if (this.worker || this.noWorker) return this.worker;
    try {
      const worker = new Worker(new URL('./worker.ts', import.meta.url));
      worker.onmessage = (event: MessageEvent<FormatResponse>) => this.finish(event.data.id, event.data.result);
      worker.onerror = (event) => {
        // The script could not load or threw: this host gets no worker; the job runs here instead.
        event.preventDefault();
        console.warn('Markdown worker unavailable; formatting on the UI thread with tighter limits.', event.message);
        this.noWorker = true;
        this.endWorker();
        const running = this.running;
        if (running) {
          clearTimeout(running.timer);
          this.running = null;
          this.queue.unshift(running.job);
        }
        this.pump();
      };
      this.worker = worker;
    } catch (error) {
      console.warn('Markdown worker unavailable; formatting on the UI thread with tighter limits.', error);
      this.noWorker = true;
    }
    return this.worker;
  }

  private endWorker(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  /** The fallback: one job per task, never more than UI_THREAD_COST of estimated work. */
  private onUiThread(job: Job): void {
    const id = this.nextId++;
    const timer = setTimeout(() => {
      const result: Formatted = job.cost > UI_THREAD_COST ? { kind: 'plain', limit: { kind: 'volume', count: job.text.length } } : formatMarkdown(job.text);
      this.finish(id, result);
    }, 0);
    this.running = { id, job, timer };
  }
}

export const markdownFormatter = new MarkdownFormatter();
