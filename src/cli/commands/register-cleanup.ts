import type { Command } from 'commander';
import { CLEANUP_HELP, UsageError, cleanupCommand, type CleanupOptions } from './cleanup';
import { trashListCommand, trashPurgeCommand, trashRestoreCommand } from './trash';

/** Adds `arbor cleanup` and `arbor trash …` to the program; bad usage goes through commander (exit 2). */
export function registerCleanupCommands(program: Command, out: (text: string) => void): void {
  program
    .command('cleanup')
    .description('preview, then delete, prune, expire, repair or vacuum; a backup is taken first')
    .argument('<path>', 'one store: a SQLite file or a JSONL-tree folder')
    .option('--session <id...>', 'delete these sessions (with --prune: the session holding the message)')
    .option('--prune <message-id>', 'remove the message and everything below it')
    .option('--after', 'with --prune: keep the message, remove what follows it')
    .option('--leaf', "with --prune: remove what only this leaf's path holds")
    .option('--allow-active', 'with --prune: allow removing messages on the active path')
    .option('--expired', 'delete sessions whose expiry time has passed')
    .option('--older-than <days>', 'delete sessions older than DAYS days')
    .option('--by <time>', 'with --older-than: judge by "created" or "updated" (default updated)')
    .option('--empty', 'delete sessions without messages')
    .option('--repair', 'fix counts, orphaned rows and index entries that disagree with the data')
    .option('--vacuum', 'give free SQLite pages back to the disk')
    .option('--dry-run', 'show the preview only; change nothing')
    .option('--json', 'print JSON')
    .option('--yes', 'do not ask on a terminal')
    .addHelpText('after', CLEANUP_HELP)
    .action((path: string, options: CleanupOptions, command: Command) => usage(command, () => cleanupCommand(path, options, out)));

  const trash = program.command('trash').description("list, restore or purge the backups Arbor's cleanups took");
  trash
    .command('list')
    .description('list the backups, newest first')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => trashListCommand(options, out));
  trash
    .command('restore')
    .description('put a backup back into its store (the current state is backed up first)')
    .argument('<id>', 'backup id from `arbor trash list`')
    .option('--json', 'print JSON')
    .action((id: string, options: { json?: boolean }) => trashRestoreCommand(id, options, out));
  trash
    .command('purge')
    .description('delete a backup for good')
    .argument('<id>', 'backup id from `arbor trash list`')
    .option('--json', 'print JSON')
    .action((id: string, options: { json?: boolean }) => trashPurgeCommand(id, options, out));
}

async function usage(command: Command, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (error instanceof UsageError) command.error(`error: ${error.message}`, { exitCode: 2, code: 'arbor.usage' });
    throw error;
  }
}
