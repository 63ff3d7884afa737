import { Command, CommanderError } from 'commander';
import { UnknownStoreError } from '../core/scan/discover';
import { inspectCommand } from './commands/inspect';
import { locationsCommand } from './commands/locations';
import { showCommand } from './commands/show';
import { serveCommand } from './commands/serve';
import { searchCommand, type SearchOptions } from './commands/search';
import { registerCleanupCommands } from './commands/register-cleanup';
import { registerTransferCommands } from './commands/register-transfer';
import { CliError, UsageError } from './errors';
import { knownLayoutsHelp } from './known-layouts';
import { ARBOR_VERSION } from './version';

/**
 * `arbor`: the command line over the same core the app uses. Errors are one line on stderr starting
 * with `arbor:` and exit 1 (a path with no store too); bad usage exits 2; help and --version exit 0.
 */
export async function runCli(argv: string[]): Promise<number> {
  const out = (text: string) => process.stdout.write(`${text}\n`);
  const program = new Command()
    .name('arbor')
    .description('Browse conversation trees in local chat-session stores.')
    .version(ARBOR_VERSION, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text.startsWith('error:') ? `arbor: ${text.slice(7)}` : text) });

  program
    .command('inspect')
    .description('list the stores found at PATH and their sessions')
    .argument('<path>', 'a store file or folder, or a folder holding several stores')
    .option('--json', 'print JSON')
    .option('--mapping <file>', 'read PATH, a SQLite file no layout knows, through a column mapping (JSON; docs/formats/sql-mapping.md)')
    .action((path: string, options: { json?: boolean; mapping?: string }) => inspectCommand(path, options, out));

  program
    .command('show')
    .description("print one session's message tree")
    .argument('<path>', 'a store file or folder')
    .argument('<session-id>', 'the session to show')
    .option('--json', 'print JSON')
    .option('--mapping <file>', 'read PATH, a SQLite file no layout knows, through a column mapping (JSON; docs/formats/sql-mapping.md)')
    .action((path: string, id: string, options: { json?: boolean; mapping?: string }) => showCommand(path, id, options, out));

  program
    .command('locations')
    .description('list the default folders of the agent CLIs Arbor reads that are on this machine, with session counts')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => locationsCommand(options, out));

  program
    .command('serve')
    .description('serve the app and its API to a browser on 127.0.0.1 (with a per-run token)')
    .argument('[paths...]', 'stores or folders to open (default: the bundled demo stores)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '4700')
    .option('--mapping <file>', 'read the SQLite files given through a column mapping (JSON; docs/formats/sql-mapping.md)')
    .action((paths: string[], options: { port?: string; mapping?: string }) => serveCommand(paths, options, out));

  program
    .command('search')
    .description('find messages by their words in the stores at PATH… (an index in Arbor\'s cache folder, kept up to date)')
    .argument('<query>', 'the words to find (taken literally; the last one may be the start of a word)')
    .argument('<paths...>', 'store files or folders')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'at most N hits (default 50)')
    .option('--role <role>', 'only messages of this role (user, assistant, system, tool); repeatable', (v: string, prev: string[] = []) => [...prev, v])
    .option('--session <id>', 'only in this session')
    .option('--no-tools', 'leave tool inputs and outputs out')
    .action((query: string, paths: string[], options: SearchOptions) => searchCommand(query, paths, options, out));

  registerCleanupCommands(program, out);
  registerTransferCommands(program, out);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successful exits; everything else commander raises is bad usage.
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`arbor: ${error.message}\n`);
      return 2;
    }
    const message = error instanceof CliError || error instanceof UnknownStoreError ? error.message : `${(error as Error).message ?? error}`;
    process.stderr.write(`arbor: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    const details = error instanceof CliError ? error.details : error instanceof UnknownStoreError && error.found !== 'missing' ? knownLayoutsHelp() : [];
    for (const line of details) process.stderr.write(`${line}\n`);
    return 1;
  }
}
