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
  /** After a write: drop cached trees of every source on that store so the next look is fresh. */
  storeChanged(storePath: string): void;
  /** Opens a store that a write created, as a new source. */
  openCreated(path: string): void;
  pickSavePath?: (suggestedName: string) => Promise<string | null>;
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
    const id = `${this.prefix}${this.next++}`;
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
