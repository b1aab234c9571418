import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ensureJava17 } from '../java.ts';
import { fetchWithDependencies } from '../maven.ts';
import { runLogged } from '../progress.ts';
import type { Ports } from '../ports.ts';
import type { ServerContext, ServerDefinition } from '../types.ts';

/** Newest Kafka on Maven Central (KRaft only since 4.0; needs Java 17). */
export const KAFKA_VERSION = '4.4.0';

/** The Log4j 2 that Kafka 4.x ships with, and its SLF4J 1.x binding (Kafka's jars use slf4j-api 1.7). */
const LOG4J_VERSION = '2.24.3';

/** The broker's node id, also its only controller voter. */
const NODE_ID = 1;

const libDir = (ctx: ServerContext): string => join(ctx.cacheDir, KAFKA_VERSION, 'lib');

export function kafkaDirs(dataDir: string): Record<'conf' | 'data' | 'logs', string> {
  return { conf: join(dataDir, 'conf'), data: join(dataDir, 'data'), logs: join(dataDir, 'logs') };
}

/**
 * server.properties of a combined broker and controller on loopback. Replication factors are 1, the
 * internal topics have few partitions and the first rebalance is not delayed: a group forms at once.
 * Topics are never created by a client asking for them: they come from migrations, and tests create theirs.
 */
export function kafkaProperties(dataDir: string, ports: Pick<Ports, 'kafka' | 'kafkaController'>): string {
  const settings: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': NODE_ID,
    'controller.quorum.voters': `${NODE_ID}@127.0.0.1:${ports.kafkaController}`,
    listeners: `PLAINTEXT://127.0.0.1:${ports.kafka},CONTROLLER://127.0.0.1:${ports.kafkaController}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${ports.kafka}`,
    'inter.broker.listener.name': 'PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': kafkaDirs(dataDir).data,
    'auto.create.topics.enable': false,
    'delete.topic.enable': true,
    'num.partitions': 1,
    'default.replication.factor': 1,
    'min.insync.replicas': 1,
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 4,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 4,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'share.coordinator.state.topic.num.partitions': 1,
    'group.initial.rebalance.delay.ms': 0,
    // Small thread pools and cleaner buffer: two shared cores, 512 MB heap.
    'num.network.threads': 2,
    'num.io.threads': 4,
    'background.threads': 2,
    'num.recovery.threads.per.data.dir': 1,
    'num.replica.fetchers': 1,
    'log.cleaner.threads': 1,
    'log.cleaner.dedupe.buffer.size': 16 * 1024 * 1024,
    'log.segment.bytes': 64 * 1024 * 1024,
  };
  return `# Written by lern servers at every start; edits are lost.\n${Object.entries(settings)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('\n')}\n`;
}

/** Log4j 2 at WARN to the console (our log file), with the line that says the server started. */
export const KAFKA_LOG4J2 = `status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.console.ref = STDOUT
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = INFO
`;

/**
 * A Kafka cluster id: 16 random bytes in URL-safe base64 without padding, as `kafka-storage random-uuid`
 * prints, and like it never starting with `-` (a command line would take it for an option).
 */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function jvmArgs(ctx: ServerContext): string[] {
  const dirs = kafkaDirs(ctx.dataDir);
  return [
    '-Xms512m',
    '-Xmx512m',
    '-XX:+UseSerialGC',
    '-XX:+ExitOnOutOfMemoryError',
    '-XX:+PerfDisableSharedMem',
    '-XX:TieredStopAtLevel=1',
    '-Djava.awt.headless=true',
    '-Djava.net.preferIPv4Stack=true',
    `-Dlog4j2.configurationFile=${join(dirs.conf, 'log4j2.properties')}`,
    `-Dkafka.logs.dir=${dirs.logs}`,
    '-cp',
    `${libDir(ctx)}/*`,
  ];
}

/** What DescribeCluster answers: the cluster id, the controller the broker points clients to, the brokers. */
export interface KafkaClusterDescription {
  clusterId: string;
  controllerId: number;
  brokers: { nodeId: number; host: string; port: number }[];
}

const DESCRIBE_CLUSTER = 60;

/** A DescribeCluster v0 request (flexible: request header v2), with its size prefix. */
export function describeClusterRequest(correlationId: number, clientId = 'lern-servers-probe'): Buffer {
  const client = Buffer.from(clientId, 'utf8');
  const header = Buffer.alloc(10);
  header.writeInt16BE(DESCRIBE_CLUSTER, 0);
  header.writeInt16BE(0, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(client.length, 8);
  // Header tagged fields (none), then the body: include_cluster_authorized_operations=false, no tagged fields.
  const payload = Buffer.concat([header, client, Buffer.from([0x00, 0x00, 0x00])]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);
  return Buffer.concat([size, payload]);
}

/** Parses a DescribeCluster v0 response (without its size prefix); undefined when it carries an error. */
export function parseDescribeClusterResponse(frame: Buffer, correlationId: number): KafkaClusterDescription | undefined {
  let at = 0;
  const int32 = (): number => {
    const v = frame.readInt32BE(at);
    at += 4;
    return v;
  };
  const int16 = (): number => {
    const v = frame.readInt16BE(at);
    at += 2;
    return v;
  };
  const uvarint = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = frame.readUInt8(at++);
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
  };
  const skipTags = (): void => {
    for (let n = uvarint(); n > 0; n--) {
      uvarint();
      at += uvarint();
    }
  };
  const compactString = (): string | null => {
    const n = uvarint();
    if (n === 0) return null;
    const v = frame.toString('utf8', at, at + n - 1);
    at += n - 1;
    return v;
  };
  if (int32() !== correlationId) return undefined;
  skipTags();
  int32(); // throttle time
  const errorCode = int16();
  compactString(); // error message
  if (errorCode !== 0) return undefined;
  const clusterId = compactString() ?? '';
  const controllerId = int32();
  const brokers: KafkaClusterDescription['brokers'] = [];
  for (let n = uvarint() - 1; n > 0; n--) {
    const nodeId = int32();
    const host = compactString() ?? '';
    const port = int32();
    compactString(); // rack
    skipTags();
    brokers.push({ nodeId, host, port });
  }
  return { clusterId, controllerId, brokers };
}

/**
 * Asks a broker to describe its cluster over the Kafka protocol. Undefined when nothing answered, the
 * broker answered with an error, or the time ran out; never throws. A KRaft broker accepts requests only
 * once it has registered with the controller and been unfenced, so an answer means it serves clients.
 */
export function kafkaDescribeCluster(port: number, timeoutMs = 2000, host = '127.0.0.1'): Promise<KafkaClusterDescription | undefined> {
  return new Promise((resolve) => {
    const correlationId = 1 + Math.floor(Math.random() * 0x7ffffffe);
    const socket = connect({ port, host });
    let buffered = Buffer.alloc(0);
    let done = false;
    const finish = (result: KafkaClusterDescription | undefined): void => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => finish(undefined));
    socket.on('error', () => finish(undefined));
    socket.on('close', () => finish(undefined));
    socket.on('connect', () => socket.write(describeClusterRequest(correlationId)));
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 4 || buffered.length < 4 + buffered.readInt32BE(0)) return;
      try {
        finish(parseDescribeClusterResponse(buffered.subarray(4, 4 + buffered.readInt32BE(0)), correlationId));
      } catch {
        finish(undefined);
      }
    });
  });
}

/**
 * Apache Kafka 4.x from Maven Central's jars, in KRaft mode: one process that is both broker and
 * controller, on loopback. Its storage is formatted once; later starts reuse the topics.
 */
export const kafka: ServerDefinition = {
  name: 'kafka',
  version: KAFKA_VERSION,
  async obtain(ctx) {
    await ensureJava17(ctx);
    await fetchWithDependencies(ctx, {
      artifacts: [
        `org.apache.kafka:kafka_2.13:${KAFKA_VERSION}`,
        `org.apache.logging.log4j:log4j-core:${LOG4J_VERSION}`,
        `org.apache.logging.log4j:log4j-slf4j-impl:${LOG4J_VERSION}`,
      ],
      outputDir: libDir(ctx),
      label: `kafka ${KAFKA_VERSION}: fetching jars from Maven Central`,
    });
  },
  async start(ctx) {
    const java = await ensureJava17(ctx);
    const dirs = kafkaDirs(ctx.dataDir);
    for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
    const properties = join(dirs.conf, 'server.properties');
    writeFileSync(properties, kafkaProperties(ctx.dataDir, ctx.ports));
    writeFileSync(join(dirs.conf, 'log4j2.properties'), KAFKA_LOG4J2);
    if (!existsSync(join(dirs.data, 'meta.properties'))) {
      await ctx.progress.step('kafka: formatting storage', () =>
        runLogged(java, [...jvmArgs(ctx), 'kafka.tools.StorageTool', 'format', `--cluster-id=${randomClusterId()}`, '--config', properties, '--ignore-formatted'], {
          logFile: join(dirs.logs, 'format.log'),
        }),
      );
    }
    ctx.spawn('kafka', { command: java, args: [...jvmArgs(ctx), 'kafka.Kafka', properties], cwd: ctx.dataDir });
    await ctx.waitFor('kafka', () => kafka.probe(ctx), 90_000, 'kafka');
  },
  async probe(ctx) {
    const cluster = await kafkaDescribeCluster(ctx.ports.kafka);
    return cluster?.brokers.some((b) => b.nodeId === NODE_ID && b.port === ctx.ports.kafka) ?? false;
  },
  env: (ctx) => ({
    LERN_KAFKA_BROKERS: `127.0.0.1:${ctx.ports.kafka}`,
  }),
};
