/**
 * Baseline for bench/userorg.ts: a bare fastify route answering GET /v1/user/read/:uid with a
 * user-read envelope of the same size as the service's, nothing else (no auth, no stores).
 * Usage: _userorg-bare.ts <port> <body.json>
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const [port, bodyFile] = process.argv.slice(2);
if (!port || !bodyFile) throw new Error('usage: _userorg-bare.ts <port> <body.json>');
const body = JSON.parse(readFileSync(bodyFile, 'utf8')) as Record<string, unknown>;
const app = Fastify({ logger: false });
app.get('/v1/user/read/:uid', (_req, reply) => reply.send(body));
await app.listen({ port: Number(port), host: '127.0.0.1' });
process.stdout.write('ready\n');
