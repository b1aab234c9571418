/**
 * Baselines for bench/userorg.ts, on one event loop with nothing else: a bare fastify route answering
 * GET /v1/user/read/:uid with a stored envelope (no I/O), and GET /redis/user/read/:uid doing the same
 * Redis GET as the service's cached read and wrapping the cached view in an envelope (no auth, no policy).
 * Usage: _userorg-bare.ts <port> <body.json> <redis-url>
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { Redis } from 'ioredis';

const [port, bodyFile, redisUrl] = process.argv.slice(2);
if (!port || !bodyFile || !redisUrl) throw new Error('usage: _userorg-bare.ts <port> <body.json> <redis-url>');
const body = JSON.parse(readFileSync(bodyFile, 'utf8')) as Record<string, unknown>;
const redis = new Redis(redisUrl);
const app = Fastify({ logger: false });
app.get('/v1/user/read/:uid', (_req, reply) => reply.send(body));
app.get<{ Params: { uid: string } }>('/redis/user/read/:uid', async (req, reply) => {
  const view = await redis.get(`userorg:user:${req.params.uid}`);
  return reply
    .header('content-type', 'application/json; charset=utf-8')
    .send(`{"id":"api.user.read","ver":"v1","ts":"${new Date().toISOString()}","params":{"status":"SUCCESS"},"responseCode":"OK","result":{"response":${view ?? 'null'}}}`);
});
await app.listen({ port: Number(port), host: '127.0.0.1' });
process.stdout.write('ready\n');
