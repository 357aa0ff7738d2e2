/**
 * The `menteo-server` command line: an operator sets up and runs a server without writing code.
 * Built on commander (subcommands, per-command `--help`, unknown-option and missing-argument
 * errors) rather than `node:util`'s `parseArgs`, which parses options only and would leave
 * nested commands, help text and error messages to hand-written code.
 * @module
 */
import { Command, CommanderError } from 'commander';
import { addAccessCommands } from './commands-access.js';
import { addOperateCommands } from './commands-operate.js';
import { addSetupCommands } from './commands-setup.js';
import { addEmbedCommands } from '../embed/cli.js';
import { CliError, EXIT } from './errors.js';
import type { CliIo } from './io.js';

/** The program with every command; output goes to `io`, and it never exits the process itself. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('menteo-server')
    .description('Menteo\'s reference server and its operator commands. Without a command, serves (as `menteo-server serve`).')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    .addHelpText('after', '\nFirst run:\n  $ menteo-server init --org "Acme" --admin-email ada@acme.example\n  $ menteo-server serve\n  $ menteo-server admin-link --person ada@acme.example\n\nRun `menteo-server <command> --help` for a command\'s options.');
  addSetupCommands(program, io);
  addAccessCommands(program, io);
  addOperateCommands(program, io);
  addEmbedCommands(program, io);
  // Groups without an action (`keys`, `org`, `origins`) need a subcommand: commander shows their help and exits 1; make that a usage error.
  for (const command of program.commands) {
    if (command.commands.length > 0) command.action(() => { throw new CommanderError(EXIT.usage, 'menteo.missingSubcommand', `error: ${command.name()} needs a command: ${command.commands.map((c) => c.name()).join(', ')}`); });
  }
  return program;
}

/**
 * Runs one command line (without `node` and the script) and resolves with the exit code: 0, 1
 * when the work failed ({@link EXIT}), 2 for a usage mistake. No arguments at all serves, as the
 * bin did before it had commands. `serve` resolves once listening; the server keeps the process.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv.length === 0 ? ['serve'] : [...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version') return EXIT.ok;
      if (error.code === 'menteo.missingSubcommand') io.err(error.message);
      return EXIT.usage;
    }
    if (error instanceof CliError) {
      io.err(`error: ${error.message}`);
      return error.kind === 'usage' ? EXIT.usage : EXIT.failure;
    }
    io.err(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT.failure;
  }
}
