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
  pickSavePath?: (suggestedName: string) => Promise<string | null>;
}

/**
 * Ids the service hands out (sources, previews, downloads) carry this thread's tag, so the ids of
 * services running side by side in worker threads never collide and the host can route by them.
 * Empty in-process: ids stay `src1`, `plan1`, ….
 */
let idTag = '';

export function setServiceIdTag(tag: string): void {
  idTag = tag;
}

export function taggedId(prefix: string, n: number): string {
  return `${prefix}${idTag}${n}`;
}

/** Previews kept until applied; older ones are dropped so a long session does not grow without bound. */
export class PendingMap<T> {
  private readonly items = new Map<string, T>();
  private next = 1;

  constructor(
    private readonly prefix: string,
    private readonly capacity = 32,
  ) {}

  add(value: T): string {
    const id = taggedId(this.prefix, this.next++);
    this.items.set(id, value);
    while (this.items.size > this.capacity) this.items.delete(this.items.keys().next().value!);
    return id;
  }

  take(id: string): T | undefined {
    const value = this.items.get(id);
    this.items.delete(id);
    return value;
  }
}
