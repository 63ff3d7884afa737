import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { inspectCommand } from '../../src/cli/commands/inspect';
import { showCommand } from '../../src/cli/commands/show';
import { ArborService } from '../../src/core/service/arbor-service';
import type { FormatName, StoreWarning } from '../../src/core/model/types';
import { openStore } from '../../src/core/catalog';
import { exportSessions } from '../../src/core/catalog';
import { type ExportFormat } from '../../src/core/transfer/export/export';
import { importSessions } from '../../src/core/catalog';
import { readInterchangeJsonl } from '../../src/core/transfer/interchange/read-jsonl';
import { dispatch } from '../../src/shared/dispatch';
import { ApiError } from '../../src/shared/errors';
import { CliError } from '../../src/cli/errors';
import { TIME_BOUND_MS } from './random';

/**
 * One fuzz case, run the way a user meets a store: open and list it (every sort, a filter), open
 * every session with every view the app asks for (through the API's own dispatch, and through both
 * transports' serialisation: JSON for HTTP, structured clone for Electron IPC), the CLI's JSON, an
 * export of the whole store, and dry-run imports of the store and of its export into other layouts.
 * Every operation is timed. What counts:
 * - a crash: an operation threw (a whole-store operation failing hides every good session);
 * - a hang: an operation took longer than the bound;
 * - a hidden session: a good session missing from, or short of messages in, any operation's result.
 */

export interface CaseInput {
  name: string;
  format: FormatName;
  path: string;
  /** Good session ids and the number of messages each shows. */
  good: ReadonlyMap<string, number>;
  /**
   * Messages each good session carries in an export, where that differs from what it opens with
   * (a Claude Code session's subagent lanes travel as branches); defaults to `good`.
   */
  exported?: ReadonlyMap<string, number>;
  exportFormats: readonly ExportFormat[];
  importTargets: readonly FormatName[];
}

export interface CaseOutcome {
  name: string;
  format: FormatName;
  crashes: string[];
  /** A listed session that then cannot be opened: a clear one-line refusal, but still a defect. */
  unopenable: string[];
  hangs: string[];
  hidden: string[];
  /** Warnings on the store or its non-good sessions: where the hostile value was reported (the first few). */
  warnings: StoreWarning[];
  warningCount: number;
  slowest: { op: string; ms: number };
  /** Set by the caller when the case's value had to be reported and nothing was. */
  silent?: boolean;
  /** CPU milliseconds per kind of operation (the first words of its name). */
  timings: Record<string, number>;
}

const INFO = { version: 'fuzz', host: 'browser' as const, canPickPaths: false };
const MAX_DETAILS = 40;

/** What both transports do to a result: HTTP sends JSON text, Electron's IPC a structured clone. */
function transport(value: unknown): void {
  JSON.stringify(value);
  structuredClone(value);
}

export async function runCase(input: CaseInput): Promise<CaseOutcome> {
  const outcome: CaseOutcome = { name: input.name, format: input.format, crashes: [], unopenable: [], hangs: [], hidden: [], warnings: [], warningCount: 0, slowest: { op: '', ms: 0 }, timings: {} };
  const hidden = new Set<string>();
  // Only a few are kept: a store of 100,000 bad records has as many warnings, and every case is kept.
  const note = (warnings: readonly StoreWarning[]) => {
    outcome.warningCount += warnings.length;
    for (const w of warnings.slice(0, Math.max(0, 5 - outcome.warnings.length))) outcome.warnings.push(w);
  };
  const work = mkdtempSync(join(tmpdir(), 'arbor-fuzz-run-'));
  const op = async <T>(name: string, run: () => T | Promise<T>): Promise<T | undefined> => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    try {
      return await run();
    } catch (error) {
      if (isRefusal(error)) outcome.unopenable.push(`${name}: ${oneLine(error)}`);
      else outcome.crashes.push(`${name}: ${oneLine(error)}`);
      return undefined;
    } finally {
      // CPU time is what the operation itself costs; wall time on a shared machine also counts the
      // other processes' turns. Both are bounded: CPU by the bound, wall time by three times it.
      const used = process.cpuUsage(cpu);
      const ms = (used.user + used.system) / 1000;
      const wall = performance.now() - started;
      const kind = name.split(' ').slice(0, 2).join(' ').replace(/ ".*/, '');
      outcome.timings[kind] = (outcome.timings[kind] ?? 0) + ms;
      if (ms > TIME_BOUND_MS || wall > 3 * TIME_BOUND_MS) outcome.hangs.push(`${name}: ${ms.toFixed(0)} ms CPU, ${wall.toFixed(0)} ms wall`);
      if (ms > outcome.slowest.ms) outcome.slowest = { op: name, ms };
    }
  };
  const seen = (where: string, counts: ReadonlyMap<string, number | null>, wanted: ReadonlyMap<string, number> = input.good) => {
    for (const [id, want] of wanted) {
      const got = counts.get(id);
      if (got === undefined || (got !== null && got !== want)) hidden.add(`${id} (${where}: ${got === undefined ? 'missing' : `${got} of ${want} messages`})`);
    }
  };

  let listedIds: string[] = [...input.good.keys()];
  try {
    const service = new ArborService({ info: INFO });
    const call = (method: string, args: unknown) => dispatch(service.handlers, method, args);
    try {
      // 1. Open and list.
      const listed = await op('list', async () => {
        const opened = (await call('sources.open', { paths: [input.path] })) as { opened: Array<{ id: string; format: string; warnings: StoreWarning[] }>; warnings: StoreWarning[] };
        transport(opened);
        note([...opened.warnings, ...opened.opened.flatMap((s) => s.warnings)]);
        if (opened.opened.length !== 1 || opened.opened[0].format !== input.format) {
          throw new Error(`opened ${opened.opened.map((s) => s.format).join(', ') || 'nothing'}, not one ${input.format} store`);
        }
        const sourceId = opened.opened[0].id;
        const ids = new Map<string, number | null>();
        for (const [sort, direction] of [['updated', 'desc'], ['created', 'asc'], ['messages', 'desc'], ['id', 'asc']] as const) {
          const page = (await call('sessions.list', { sourceId, sort, direction, limit: 1000 })) as { sessions: Array<{ id: string; messageCount: number | null; warnings: StoreWarning[] }> };
          transport(page);
          for (const s of page.sessions) {
            ids.set(s.id, s.messageCount);
            if (!input.good.has(s.id) && sort === 'id') note(s.warnings);
          }
        }
        transport(await call('sessions.list', { sourceId, filter: 'o' }));
        return { sourceId, ids };
      });
      if (listed) {
        seen('list', listed.ids);
        listedIds = [...listed.ids.keys()];
      }
      else for (const id of input.good.keys()) hidden.add(`${id} (list failed)`);

      // 2. Every session, every view.
      if (listed) {
        const loaded = new Map<string, number | null>();
        for (const sessionId of listed.ids.keys()) {
          await op(`open ${JSON.stringify(sessionId).slice(0, 40)}`, async () => {
            const ref = { sourceId: listed.sourceId, sessionId };
            const overview = (await call('session.open', ref)) as { messageCount: number; warnings: StoreWarning[] };
            transport(overview);
            loaded.set(sessionId, overview.messageCount);
            if (!input.good.has(sessionId)) note(overview.warnings);
            const path = (await call('session.activate', { ...ref, messageId: null })) as { messages: Array<{ id: string }> };
            transport(path);
            const graph = (await call('session.graph', ref)) as { segments: unknown[] };
            transport(graph);
            for (let s = 0; s < Math.min(3, graph.segments.length); s++) transport(await call('session.segment', { ...ref, segment: s }));
            for (const m of path.messages.slice(0, MAX_DETAILS)) transport(await call('message.details', { ...ref, messageId: m.id }));
          });
        }
        seen('open', loaded);
      }
    } finally {
      service.closeAll();
    }

    // 3. The CLI's JSON.
    await op('cli inspect --json', () => inspectCommand(input.path, { json: true }, (text) => void JSON.parse(text)));
    // Each call opens the store anew: the sessions that are not good ones, and one good one.
    for (const id of [...listedIds.filter((i) => !input.good.has(i)).slice(0, 2), ...input.good.keys()].slice(0, 3)) {
      await op(`cli show --json ${JSON.stringify(id).slice(0, 40)}`, () =>
        showCommand(input.path, id, { json: true }, (text) => {
          const shown = JSON.parse(text) as { messages: unknown[] };
          const want = input.good.get(id);
          if (want !== undefined && shown.messages.length !== want) hidden.add(`${id} (show --json: ${shown.messages.length} messages)`);
        }),
      );
    }

    // 4. Export of the whole store.
    const jsonlFile = join(work, 'export.jsonl');
    for (const format of new Set<ExportFormat>(['jsonl', ...input.exportFormats])) {
      const file = format === 'jsonl' ? jsonlFile : join(work, `export.${format}`);
      const done = await op(`export ${format}`, async () => {
        const source = openStore(input.path);
        const out = createWriteStream(file);
        try {
          await exportSessions([source], { format, allBranches: true, now: 0 }, out);
        } finally {
          source.close();
          out.end();
          await finished(out);
        }
        return true;
      });
      if (!done) {
        for (const id of input.good.keys()) hidden.add(`${id} (export ${format} failed)`);
        continue;
      }
      if (format === 'jsonl') {
        await op('read export jsonl', () => seen('export jsonl', new Map([...readInterchangeJsonl(file)].map((s) => [s.id, s.messages.length])), input.exported));
      } else {
        const text = readFileSync(file, 'utf8');
        for (const id of input.good.keys()) if (!text.includes(id)) hidden.add(`${id} (export ${format}: missing)`);
      }
    }

    // 5. Dry-run imports: store to store, and the export file.
    for (const layout of input.importTargets) {
      const report = await op(`import store → ${layout}`, () => importSessions(input.path, { into: join(work, `into-${layout}`), layout, dryRun: true, now: 0 }));
      if (report) seen(`import → ${layout}`, new Map(report.sessions.filter((s) => s.action !== 'skipped').map((s) => [s.sourceId, null])));
      else for (const id of input.good.keys()) hidden.add(`${id} (import → ${layout} failed)`);
    }
    const exported = !outcome.crashes.some((c) => c.startsWith('export jsonl'));
    const fromFile = !exported ? undefined : await op('import export file → jsonl-tree', () => importSessions(jsonlFile, { into: join(work, 'into-file'), layout: 'jsonl-tree', dryRun: true, now: 0 }));
    if (fromFile) seen('import of the export', new Map(fromFile.sessions.map((s) => [s.sourceId, s.messages])), input.exported);
    else if (exported) for (const id of input.good.keys()) hidden.add(`${id} (import of the export failed)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  outcome.hidden = [...hidden];
  return outcome;
}

/** The clear refusals of the API and the CLI ("no session …"), as opposed to a crash. */
function isRefusal(error: unknown): boolean {
  return error instanceof CliError || (error instanceof ApiError && (error.code === 'not-found' || error.code === 'invalid-arguments'));
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n', 1)[0].slice(0, 200);
}
