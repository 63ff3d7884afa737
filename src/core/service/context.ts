import { randomBytes } from 'node:crypto';
import type { AppInfo } from '../../shared/dto';
import type { OpenOptions, StoreSource } from '../adapters/adapter';
import type { ProgressBoard } from './progress';

/** What the call groups (cleanup, trash, transfer) need of the service that owns the sources. */
export interface ServiceContext {
  readonly info: AppInfo;
  readonly progress: ProgressBoard;
  /** Backups go here (the safety module's default when undefined). */
  readonly trashDir: string | undefined;
  /** How the service opens stores (a mapped source is read through its mapping when it is copied). */
  readonly openOptions: OpenOptions;
  source(sourceId: string): StoreSource;
  /** The path of a source, also of one open in another worker of the same host (an import between two sources). */
  sourcePath(sourceId: string): string;
  /** After a write: drop cached trees of every source on that store so the next look is fresh. */
  storeChanged(storePath: string): void;
  /** Opens a store that a write created, as a new source. */
  openCreated(path: string): void;
  pickSavePath?: (suggestedName: string, purpose?: 'export' | 'new-store') => Promise<string | null>;
}

/**
 * Source ids the service hands out carry this thread's tag, so the ids of
 * services running side by side in worker threads never collide and the host can route by them.
 * Empty in-process: ids stay `src1`, `src2`, …. (Preview and download ids are random, below.)
 */
let idTag = '';

export function setServiceIdTag(tag: string): void {
  idTag = tag;
}

export function taggedId(prefix: string, n: number): string {
  return `${prefix}${idTag}${n}`;
}

/**
 * Previews and downloads kept until used; older ones are dropped (`onDrop` tells) so a long session
 * does not grow without bound. Ids are random (128 bits): a download id is all a browser-mode
 * download needs beside the assets cookie, so it must not be guessable from the one before.
 */
export class PendingMap<T> {
  private readonly items = new Map<string, T>();

  constructor(
    private readonly prefix: string,
    private readonly capacity = 32,
    private readonly onDrop?: (value: T) => void,
  ) {}

  add(value: T): string {
    const id = `${this.prefix}-${randomBytes(16).toString('base64url')}`;
    this.items.set(id, value);
    while (this.items.size > this.capacity) {
      const oldest = this.items.keys().next().value!;
      const dropped = this.items.get(oldest)!;
      this.items.delete(oldest);
      this.onDrop?.(dropped);
    }
    return id;
  }

  /** Looks without using up (an HTTP HEAD of a download). */
  peek(id: string): T | undefined {
    return this.items.get(id);
  }

  take(id: string): T | undefined {
    const value = this.items.get(id);
    this.items.delete(id);
    return value;
  }

  /** Empties the map, telling `onDrop` of each value. */
  clear(): void {
    const values = [...this.items.values()];
    this.items.clear();
    for (const v of values) this.onDrop?.(v);
  }
}
