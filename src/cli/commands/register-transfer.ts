import { Option, type Command } from 'commander';
import { LAYOUTS } from '../../core/catalog';
import { EXPORT_FORMATS } from '../../core/transfer';
import { newStoreLayoutNames } from '../../core/transfer/import/import';
import { exportCommand, type ExportCommandOptions } from './export';
import { importCommand, type ImportCommandOptions } from './import';

/** Adds `arbor export` and `arbor import`; bad option values are usage errors through commander (exit 2). */
export function registerTransferCommands(program: Command, out: (text: string) => void): void {
  program
    .command('export')
    .description('export sessions to Arbor JSON lines (lossless), JSON, Markdown or HTML')
    .argument('<path>', 'a store, or a folder holding stores')
    .argument('[session-ids...]', 'the sessions to export (default: every session)')
    .addOption(new Option('--format <format>', 'jsonl (lossless, re-importable), json, md or html').choices(EXPORT_FORMATS).default('jsonl'))
    .option('--out <file>', 'write to FILE (optional; without it, or with -, the export goes to standard output)')
    .option('--all-branches', 'md and html: every branch, not only the active one')
    .option('--include-paths', "md and html: name the source's local path (left out by default)")
    .option('--mapping <file>', 'read PATH, a SQLite file no layout knows, through a column mapping (JSON; docs/formats/sql-mapping.md)')
    .action((path: string, ids: string[], options: ExportCommandOptions) => exportCommand(path, ids, options, out));

  program
    .command('import')
    .description('import an Arbor export, or copy another store, into a store of any layout')
    .argument('<file-or-store>', 'an Arbor export (.jsonl or .json) or a store of any layout')
    .requiredOption('--into <path>', 'the store to import into')
    .addOption(new Option('--layout <name>', 'create a new store of this layout at --into').choices(newStoreLayoutNames(LAYOUTS)))
    .addOption(new Option('--on-conflict <mode>', 'when a session id exists: skip, rename or replace').choices(['skip', 'rename', 'replace']).default('skip'))
    .addOption(new Option('--tree <mode>', 'a tree into a linear layout: its active branch, or one session per leaf').choices(['active', 'leaves']).default('active'))
    .option('--tenant <tenant>', "tenant of the imported sessions (sqlite-tenant-messages; default: the source's, else 'imported'); for open-webui the user (id or email) who owns the imported chats")
    .option('--dry-run', 'show what would happen; write nothing')
    .option('--json', 'print JSON: {"added","skipped","renamed","replaced","lost","warnings",…}')
    .action((input: string, options: ImportCommandOptions) => importCommand(input, options, out));
}
