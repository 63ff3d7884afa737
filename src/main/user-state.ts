import '../shared/zod-config';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { READ_LIMITS } from '../core/files/limits';
import { readTextFile } from '../core/files/read';
import { dirname, join } from 'node:path';
import { z } from 'zod';

/** Window bounds and recent sources, kept in the user-data folder (written atomically). */
const StateSchema = z.object({
  window: z
    .object({ x: z.number().optional(), y: z.number().optional(), width: z.number().min(400), height: z.number().min(300), maximized: z.boolean().optional() })
    .optional(),
  recent: z.array(z.string()).max(50).default([]),
});
export type UserState = z.infer<typeof StateSchema>;

const RECENT_LIMIT = 10;

export class UserStateFile {
  private readonly path: string;
  state: UserState;

  constructor(userDataDir: string) {
    this.path = join(userDataDir, 'arbor-state.json');
    this.state = this.read();
  }

  rememberSources(paths: readonly string[]): void {
    const recent = [...paths, ...this.state.recent.filter((p) => !paths.includes(p))].slice(0, RECENT_LIMIT);
    this.state = { ...this.state, recent };
    this.write();
  }

  rememberWindow(bounds: NonNullable<UserState['window']>): void {
    this.state = { ...this.state, window: bounds };
    this.write();
  }

  private read(): UserState {
    try {
      return StateSchema.parse(JSON.parse(readTextFile(this.path, { limit: READ_LIMITS.small, what: 'the app state file' })));
    } catch {
      return { recent: [] };
    }
  }

  private write(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temp = `${this.path}.tmp`;
    writeFileSync(temp, JSON.stringify(this.state, null, 2));
    renameSync(temp, this.path);
  }
}
