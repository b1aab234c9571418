import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureAptPackages, ownedDir, serviceUser } from '../system.ts';
import { runLogged } from '../progress.ts';
import type { ServerContext, ServerDefinition } from '../types.ts';

const DATABASE = 'lern';
const SUPERUSER = 'lern';

/** The newest PostgreSQL server installed from Debian's packages (they live in /usr/lib/postgresql/<major>/bin). */
function pgBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const majors = readdirSync(base)
    .filter((d) => existsSync(join(base, d, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] === undefined ? undefined : join(base, majors[0], 'bin');
}

function pgIsReady(ctx: ServerContext): boolean {
  const bin = pgBin();
  if (!bin) return false;
  const result = spawnSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(ctx.ports.postgres), '-d', DATABASE, '-U', SUPERUSER, '-t', '2'], { stdio: 'ignore' });
  return result.status === 0;
}

/**
 * PostgreSQL from Debian's packages, in its own cluster under the data root, with durability off
 * (fsync, synchronous commit): tests want speed, not crash safety. Trust auth on loopback only.
 */
export const postgres: ServerDefinition = {
  name: 'postgres',
  get version() {
    const bin = pgBin();
    return bin ? (bin.split('/').at(-2) ?? 'from apt') : 'from apt';
  },
  obtain: (ctx) => ensureAptPackages(['postgresql'], () => pgBin() !== undefined, ctx.progress, join(ctx.dataDir, 'logs', 'obtain.log')),
  async start(ctx) {
    const bin = pgBin();
    if (!bin) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql');
    const user = serviceUser();
    const data = join(ownedDir(ctx.dataDir, user), 'data');
    const socketDir = ownedDir(join(ctx.dataDir, 'run'), user);
    const asUser = (command: string, args: string[]): [string, string[]] => (user ? ['runuser', ['-u', user, '--', command, ...args]] : [command, args]);
    if (!existsSync(join(data, 'PG_VERSION'))) {
      ownedDir(data, user);
      const [cmd, args] = asUser(join(bin, 'initdb'), ['-D', data, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--no-sync']);
      await ctx.progress.step('postgres: initdb', () => runLogged(cmd, args, { logFile: join(ctx.dataDir, 'logs', 'initdb.log') }));
    }
    ctx.spawn('postgres', {
      command: join(bin, 'postgres'),
      args: ['-D', data, '-p', String(ctx.ports.postgres), '-k', socketDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
      ...(user ? { user } : {}),
    });
    await ctx.waitFor('postgres', () => Promise.resolve(spawnSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(ctx.ports.postgres), '-t', '1'], { stdio: 'ignore' }).status === 0), 60_000, 'postgres');
    const exists = spawnSync(join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(ctx.ports.postgres), '-U', SUPERUSER, '-d', 'postgres', '-tAc', `SELECT 1 FROM pg_database WHERE datname='${DATABASE}'`], { encoding: 'utf8' });
    if (exists.stdout.trim() !== '1') {
      await runLogged(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(ctx.ports.postgres), '-U', SUPERUSER, DATABASE], { logFile: join(ctx.dataDir, 'logs', 'createdb.log') });
    }
  },
  probe: (ctx) => Promise.resolve(pgIsReady(ctx)),
  env: (ctx) => ({
    LERN_POSTGRES_URL: `postgres://${SUPERUSER}@127.0.0.1:${ctx.ports.postgres}/${DATABASE}`,
    LERN_POSTGRES_HOST: '127.0.0.1',
    LERN_POSTGRES_PORT: String(ctx.ports.postgres),
    LERN_POSTGRES_USER: SUPERUSER,
    LERN_POSTGRES_DB: DATABASE,
  }),
};
