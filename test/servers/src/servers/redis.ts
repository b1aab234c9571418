import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tcpExchange } from '../probe.ts';
import { ensureAptPackages, which } from '../system.ts';
import type { ServerDefinition } from '../types.ts';

/** Redis from Debian's redis-server package, without persistence: test data is throwaway. */
export const redis: ServerDefinition = {
  name: 'redis',
  get version() {
    const server = which('redis-server');
    if (!server) return 'from apt';
    const match = /v=(\S+)/.exec(execFileSync(server, ['--version']).toString());
    return match?.[1] ?? 'from apt';
  },
  obtain: (ctx) => ensureAptPackages(['redis-server'], () => which('redis-server') !== undefined, ctx.progress, join(ctx.dataDir, 'logs', 'obtain.log')),
  async start(ctx) {
    const dir = join(ctx.dataDir, 'data');
    mkdirSync(dir, { recursive: true });
    ctx.spawn('redis', {
      command: 'redis-server',
      args: ['--port', String(ctx.ports.redis), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    });
    await ctx.waitFor('redis', () => redis.probe(ctx), 20_000, 'redis');
  },
  probe: async (ctx) => (await tcpExchange(ctx.ports.redis, 'PING\r\n')).startsWith('+PONG'),
  env: (ctx) => ({
    LERN_REDIS_URL: `redis://127.0.0.1:${ctx.ports.redis}`,
    LERN_REDIS_HOST: '127.0.0.1',
    LERN_REDIS_PORT: String(ctx.ports.redis),
  }),
};
