import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ServerManager, parseServerNames } from './manager.ts';
import { portEnvName, DEFAULT_PORTS, type PortName } from './ports.ts';
import { SERVER_NAMES } from './types.ts';

export const SERVERS_HELP = `Usage: lern servers <up|down|status|env> [--only NAMES] [--json] [--file PATH]

Obtains, starts, health-checks and stops the real servers Lern is tested against, on loopback.

Commands:
  up      fetch or build what is missing (cached by version), start, wait until each answers;
          servers that already answer are reused
  down    stop the servers (their data is kept)
  status  which servers answer, with their process ids
  env     print the endpoints as shell exports (eval "$(lern servers env)"), or --json;
          --file PATH also writes them as a dotenv file

Options:
  --only NAMES   comma-separated subset of: ${SERVER_NAMES.join(', ')} (default: all)
  --json         machine-readable output (status, env)
  -h, --help     this text

Environment:
  LERN_CACHE_DIR   downloads and builds (default ~/.cache/lern; /var/cache/lern as root)
  LERN_DATA_DIR    data, logs and pid files (default ~/.local/state/lern/servers; /var/lib/lern/servers as root)
${(Object.keys(DEFAULT_PORTS) as PortName[]).map((p) => `  ${portEnvName(p).padEnd(32)} default ${DEFAULT_PORTS[p]}`).join('\n')}
`;

export async function serversCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      only: { type: 'string' },
      json: { type: 'boolean', default: false },
      file: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(SERVERS_HELP);
    return command === undefined && !values.help ? 2 : 0;
  }
  const names = parseServerNames(values.only);
  const manager = new ServerManager();
  switch (command) {
    case 'up':
      await manager.up(names);
      return 0;
    case 'down':
      await manager.down(names);
      return 0;
    case 'status': {
      const statuses = await manager.status(names);
      if (values.json) {
        process.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
      } else {
        for (const s of statuses) {
          process.stdout.write(`${s.name.padEnd(14)} ${(s.running ? 'running' : 'stopped').padEnd(8)} ${s.version.padEnd(10)} ${s.pids.length > 0 ? `pids ${s.pids.join(',')}` : ''}\n`);
        }
      }
      return statuses.every((s) => s.running) ? 0 : 3;
    }
    case 'env': {
      const env = manager.env(names);
      if (values.file) writeFileSync(values.file, Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(''));
      process.stdout.write(values.json ? `${JSON.stringify(env, null, 2)}\n` : Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}\n`).join(''));
      return 0;
    }
    default:
      process.stderr.write(`unknown command '${command}'\n\n${SERVERS_HELP}`);
      return 2;
  }
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
