/**
 * What the job suites share: isolated settings over the real servers, topics, reading a topic back,
 * spawning a job as a real process on the pinned Node, a loopback TCP proxy to cut a server, and
 * polling.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { KafkaConnector } from '@lern/kit';
import type { Redis } from 'ioredis';
import type { KafkaMessage } from 'kafkajs';
import { requireServers, testNames } from '../../../test/setup/servers-env.ts';

/** Settings of a suite: the servers' endpoints, its own topic prefix, fast retries and short sessions. */
export async function suiteEnv(fileUrl: string, servers: Parameters<typeof requireServers>[0]): Promise<{ env: Record<string, string>; names: ReturnType<typeof testNames> }> {
  const names = testNames(fileUrl);
  const env = {
    ...(await requireServers(servers)),
    LERN_KAFKA_TOPIC_PREFIX: names.topic,
    LERN_LOG_LEVEL: 'warn',
    // The broker's minimum: a killed replica's partitions move on within seconds.
    LERN_JOB_SESSION_TIMEOUT_MS: '6000',
    LERN_JOB_MAX_ATTEMPTS: '2',
    LERN_JOB_RETRY_INITIAL_MS: '50',
    LERN_JOB_RETRY_MAX_MS: '500',
    LERN_SHUTDOWN_DEADLINE_MS: '15000',
  };
  return { env, names };
}

/** Creates topics (unprefixed names) with the given partitions. */
export async function createTopics(kafka: KafkaConnector, topics: Record<string, number>): Promise<void> {
  const admin = await kafka.admin();
  await admin.createTopics({ waitForLeaders: true, topics: Object.entries(topics).map(([name, numPartitions]) => ({ topic: kafka.topic(name), numPartitions, replicationFactor: 1 })) });
}

/** Deletes every topic of the suite's prefix, and the consumer groups named with `id` or the prefix. */
export async function deleteSuiteTopics(kafka: KafkaConnector, prefix: string, id?: string): Promise<void> {
  const admin = await kafka.admin();
  const mine = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  if (mine.length > 0) await admin.deleteTopics({ topics: mine }).catch(() => undefined);
  const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix) || (id !== undefined && g.startsWith(id)));
  if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
}

/** Reads `count` messages of a topic (unprefixed) from the beginning, with a throw-away group. */
export async function readTopic(kafka: KafkaConnector, topic: string, count: number, timeoutMs = 30_000): Promise<KafkaMessage[]> {
  const consumer = kafka.kafka.consumer({ groupId: `reader-${randomUUID()}`, allowAutoTopicCreation: false, maxWaitTimeInMs: 200 });
  const got: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [kafka.topic(topic)], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${got.length} of ${count} messages of ${topic}`)), timeoutMs);
      void consumer.run({
        eachMessage: ({ message }) => {
          got.push(message);
          if (got.length >= count) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return got;
}

/** Deletes the Redis keys matching any of the patterns (a suite's own keys). */
export async function deleteRedisKeys(redis: Redis, patterns: string[]): Promise<void> {
  for (const match of patterns) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
}

/** Every message of a topic (unprefixed) from the beginning, read until none arrives for `quietMs`. */
export async function readAll(kafka: KafkaConnector, topic: string, quietMs = 3_000): Promise<KafkaMessage[]> {
  const consumer = kafka.kafka.consumer({ groupId: `reader-${randomUUID()}`, allowAutoTopicCreation: false, maxWaitTimeInMs: 200 });
  const got: KafkaMessage[] = [];
  // The quiet time counts from joining the group (which takes a few seconds) or the last message.
  let last = Infinity;
  consumer.on(consumer.events.GROUP_JOIN, () => (last = Date.now()));
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [kafka.topic(topic)], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        got.push(message);
        last = Date.now();
        return Promise.resolve();
      },
    });
    const end = Date.now() + 60_000;
    while (!(Date.now() - last >= quietMs) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
  } finally {
    await consumer.disconnect();
  }
  return got;
}

/** Polls until `check` returns a value other than undefined. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A job running as a real process. */
export interface JobProcess {
  child: ChildProcess;
  /** Resolves once the job printed `ready <url>`. */
  ready: Promise<string>;
  /** Resolves with the exit code (or 128 + signal number). */
  exited: Promise<number>;
  output(): string;
}

/**
 * Spawns `script` on this Node (the pinned one: the suites run under it), not through bin/lern, so
 * the pid is the job's own and a SIGKILL hits the job, not a launcher.
 */
export function spawnJob(script: string, env: Record<string, string>): JobProcess {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /ready (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', () => reject(new Error(`job exited before it was ready:\n${out}`)));
  });
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15))));
  ready.catch(() => undefined);
  return { child, ready, exited, output: () => out };
}

/** A loopback TCP proxy in front of a real server, cut and restored to simulate an outage. */
export class TcpProxy {
  port = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly target: { host: string; port: number };

  constructor(target: string) {
    const [host, port] = target.split(':');
    this.target = { host: host!, port: Number(port) };
  }

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', () => resolve()));
    this.port = (server.address() as { port: number }).port;
  }

  /** Refuses new connections and drops open ones, like a stopped server. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same port. */
  async restore(): Promise<void> {
    await this.start();
  }
}

/** The sum of a metric's samples in Prometheus text, over the samples whose labels include `labels`. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
