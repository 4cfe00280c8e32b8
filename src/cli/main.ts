// `kubedesk` command line. Errors end as one readable line and a non-zero exit, never a stack alone.
import { SandboxStartError } from '../core/sandbox/errors.js';
import { UsageError } from './args.js';
import { runSandbox } from './sandbox-command.js';

const commands: Record<string, (argv: string[], out: (l: string) => void, err: (l: string) => void) => Promise<number>> = {
  sandbox: runSandbox,
};

async function main(argv: string[]): Promise<number> {
  const out = (line: string) => process.stdout.write(line + '\n');
  const err = (line: string) => process.stderr.write(line + '\n');
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    err(name ? `kubedesk: unknown command "${name}"` : 'kubedesk: a command is required');
    err(`Commands: ${Object.keys(commands).join(', ')}. Run 'kubedesk <command> --help' for its flags.`);
    return 2;
  }
  try {
    return await command(rest, out, err);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`kubedesk ${name}: ${error.message}`);
      err(`Run 'kubedesk ${name} --help' for usage.`);
      return 2;
    }
    if (error instanceof SandboxStartError) {
      err(`kubedesk ${name}: ${error.message}`);
      err(`  → ${error.hint}`);
      return 1;
    }
    err(`kubedesk ${name}: unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.KUBEDESK_DEBUG && error instanceof Error && error.stack) err(error.stack);
    else err('  → run again with KUBEDESK_DEBUG=1 for the stack trace, and report it');
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`kubedesk: ${String(error)}\n`);
    process.exit(1);
  },
);
