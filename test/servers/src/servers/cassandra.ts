import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ensureJava17 } from '../java.ts';
import { fetchWithDependencies, jarsIn } from '../maven.ts';
import type { Ports } from '../ports.ts';
import { chownTree, ownedDir, serviceUser } from '../system.ts';
import type { ServerContext, ServerDefinition } from '../types.ts';

/** Newest 5.0 release on Maven Central (5.0 is the first line that runs on Java 17). */
export const CASSANDRA_VERSION = '5.0.9';

/** What SimpleSnitch calls its one datacenter; clients name it as their local datacenter. */
export const CASSANDRA_DATACENTER = 'datacenter1';

const libDir = (ctx: ServerContext): string => join(ctx.cacheDir, CASSANDRA_VERSION, 'lib');

/** Folders of one node, all under its data folder. */
export function cassandraDirs(dataDir: string): Record<'conf' | 'data' | 'commitlog' | 'savedCaches' | 'hints' | 'cdcRaw' | 'triggers' | 'logs', string> {
  return {
    conf: join(dataDir, 'conf'),
    data: join(dataDir, 'data'),
    commitlog: join(dataDir, 'commitlog'),
    savedCaches: join(dataDir, 'saved_caches'),
    hints: join(dataDir, 'hints'),
    cdcRaw: join(dataDir, 'cdc_raw'),
    triggers: join(dataDir, 'triggers'),
    logs: join(dataDir, 'logs'),
  };
}

/**
 * A single-node cassandra.yaml for tests: loopback only, one token, no snapshots, no hints, small
 * memtables and caches, one compactor. Names are Cassandra 5.0's (with units).
 */
export function cassandraYaml(dataDir: string, ports: Pick<Ports, 'cassandra' | 'cassandraStorage'>): string {
  const dirs = cassandraDirs(dataDir);
  return `# Written by lern servers at every start; edits are lost.
cluster_name: lern
num_tokens: 1
initial_token: 0
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
endpoint_snitch: SimpleSnitch
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "127.0.0.1:${ports.cassandraStorage}"
listen_address: 127.0.0.1
rpc_address: 127.0.0.1
storage_port: ${ports.cassandraStorage}
native_transport_port: ${ports.cassandra}
start_native_transport: true
data_file_directories:
  - ${dirs.data}
commitlog_directory: ${dirs.commitlog}
saved_caches_directory: ${dirs.savedCaches}
hints_directory: ${dirs.hints}
cdc_raw_directory: ${dirs.cdcRaw}
authenticator: AllowAllAuthenticator
authorizer: AllowAllAuthorizer
commitlog_sync: periodic
commitlog_sync_period: 10000ms
commitlog_segment_size: 16MiB
commitlog_total_space: 256MiB
auto_snapshot: false
snapshot_before_compaction: false
hinted_handoff_enabled: false
disk_failure_policy: stop
commit_failure_policy: stop
concurrent_reads: 8
concurrent_writes: 8
concurrent_counter_writes: 4
concurrent_materialized_view_writes: 2
concurrent_compactors: 1
memtable_flush_writers: 1
memtable_heap_space: 96MiB
memtable_offheap_space: 96MiB
key_cache_size: 16MiB
counter_cache_size: 4MiB
prepared_statements_cache_size: 16MiB
file_cache_size: 32MiB
networking_cache_size: 16MiB
native_transport_max_threads: 32
materialized_views_enabled: true
sasi_indexes_enabled: true
`;
}

/** Logback at INFO for Cassandra's own start-up lines and WARN for its libraries, to the console (our log file). */
export const CASSANDRA_LOGBACK = `<configuration scan="false">
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{1} %msg%n</pattern></encoder>
  </appender>
  <logger name="org.apache.cassandra" level="INFO"/>
  <root level="WARN"><appender-ref ref="STDOUT"/></root>
</configuration>
`;

/** The module flags of Cassandra's conf/jvm17-server.options: Java 17 refuses its deep reflection otherwise. */
const JAVA17_MODULE_FLAGS = [
  '-Djdk.attach.allowAttachSelf=true',
  ...[
    'java.base/jdk.internal.misc',
    'java.base/jdk.internal.ref',
    'java.base/sun.nio.ch',
    'java.management.rmi/com.sun.jmx.remote.internal.rmi',
    'java.rmi/sun.rmi.registry',
    'java.rmi/sun.rmi.server',
    'java.sql/java.sql',
    'java.base/java.lang.ref',
    'jdk.unsupported/sun.misc',
    'jdk.compiler/com.sun.tools.javac.file',
    'jdk.attach/sun.tools.attach',
    'java.management/com.sun.jmx.remote.security',
  ].flatMap((m) => ['--add-exports', `${m}=ALL-UNNAMED`]),
  ...[
    'java.base/java.lang.module',
    'java.base/jdk.internal.loader',
    'java.base/jdk.internal.ref',
    'java.base/jdk.internal.reflect',
    'java.base/jdk.internal.math',
    'java.base/jdk.internal.module',
    'java.base/jdk.internal.util.jar',
    'java.base/sun.nio.ch',
    'java.base/java.io',
    'java.base/java.lang.reflect',
    'java.base/java.lang',
    'java.base/java.util',
    'java.base/java.nio',
    'jdk.management/com.sun.management.internal',
    'jdk.compiler/com.sun.tools.javac',
  ].flatMap((m) => ['--add-opens', `${m}=ALL-UNNAMED`]),
  '-Dio.netty.tryReflectionSetAccessible=true',
];

/**
 * JVM arguments for one test node. Speed of start and a small footprint matter more than throughput:
 * 1 GB heap with the serial collector (two cores are shared by a dozen servers), no gossip settling,
 * a one-second ring delay, no JMX listener.
 */
export function cassandraJvmArgs(dataDir: string, jars: readonly string[]): string[] {
  const dirs = cassandraDirs(dataDir);
  const jamm = jars.find((j) => /\/jamm-[^/]*\.jar$/.test(j));
  if (!jamm) throw new Error('the jamm agent jar is missing from the Cassandra classpath; remove the cache folder and retry');
  return [
    '-Xms1G',
    '-Xmx1G',
    '-Xss256k',
    '-XX:+UseSerialGC',
    '-XX:+ExitOnOutOfMemoryError',
    '-XX:+PerfDisableSharedMem',
    // C1 only: compiling with C2 would take most of both cores for the first minute.
    '-XX:TieredStopAtLevel=1',
    '-Djava.net.preferIPv4Stack=true',
    `-javaagent:${jamm}`,
    ...JAVA17_MODULE_FLAGS,
    `-Dcassandra.config=file://${join(dirs.conf, 'cassandra.yaml')}`,
    `-Dlogback.configurationFile=${join(dirs.conf, 'logback.xml')}`,
    `-Dcassandra.storagedir=${dataDir}`,
    `-Dcassandra.logdir=${dirs.logs}`,
    `-Dcassandra.triggers_dir=${dirs.triggers}`,
    '-Dcassandra-foreground=yes',
    '-Dcassandra.skip_wait_for_gossip_to_settle=0',
    '-Dcassandra.ring_delay_ms=1000',
    '-Dcassandra.superuser_setup_delay_ms=0',
    '-cp',
    jars.join(':'),
    'org.apache.cassandra.service.CassandraDaemon',
  ];
}

// Native protocol v4 opcodes.
const OP_ERROR = 0x00;
const OP_STARTUP = 0x01;
const OP_READY = 0x02;
const OP_QUERY = 0x07;
const OP_RESULT = 0x08;

function frame(stream: number, opcode: number, body: Buffer): Buffer {
  const header = Buffer.alloc(9);
  header.writeUInt8(0x04, 0);
  header.writeUInt8(0, 1);
  header.writeInt16BE(stream, 2);
  header.writeUInt8(opcode, 4);
  header.writeInt32BE(body.length, 5);
  return Buffer.concat([header, body]);
}

const shortString = (s: string): Buffer => {
  const b = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
};

/** STARTUP body: a string map with the CQL version. */
export function startupFrame(): Buffer {
  const count = Buffer.alloc(2);
  count.writeUInt16BE(1);
  return frame(0, OP_STARTUP, Buffer.concat([count, shortString('CQL_VERSION'), shortString('3.0.0')]));
}

/** QUERY body: the statement, consistency ONE, no flags. */
export function queryFrame(cql: string, stream = 1): Buffer {
  const text = Buffer.from(cql, 'utf8');
  const len = Buffer.alloc(4);
  len.writeInt32BE(text.length);
  const tail = Buffer.from([0x00, 0x01, 0x00]);
  return frame(stream, OP_QUERY, Buffer.concat([len, text, tail]));
}

/**
 * The text cells of a RESULT/Rows body (only what a probe needs: no paging state, columns of text-like
 * types). Undefined for any other kind of result.
 */
export function parseRows(body: Buffer): (string | null)[][] | undefined {
  let at = 0;
  const int = (): number => {
    const v = body.readInt32BE(at);
    at += 4;
    return v;
  };
  const short = (): number => {
    const v = body.readUInt16BE(at);
    at += 2;
    return v;
  };
  const str = (): string => {
    const n = short();
    const v = body.toString('utf8', at, at + n);
    at += n;
    return v;
  };
  if (int() !== 0x0002) return undefined;
  const flags = int();
  const columns = int();
  if (flags & 0x0002) {
    const n = int();
    at += Math.max(n, 0);
  }
  const globalSpec = (flags & 0x0001) !== 0;
  if (globalSpec) {
    str();
    str();
  }
  if ((flags & 0x0004) === 0) {
    for (let c = 0; c < columns; c++) {
      if (!globalSpec) {
        str();
        str();
      }
      str();
      const type = short();
      if (type === 0x0000 || type >= 0x0020) return undefined;
    }
  }
  const rows: (string | null)[][] = [];
  const count = int();
  for (let r = 0; r < count; r++) {
    const row: (string | null)[] = [];
    for (let c = 0; c < columns; c++) {
      const n = int();
      row.push(n < 0 ? null : body.toString('utf8', at, at + n));
      at += Math.max(n, 0);
    }
    rows.push(row);
  }
  return rows;
}

/**
 * Runs one CQL statement over the native protocol (STARTUP, then QUERY) and returns its rows, or
 * undefined when nothing answered, the server refused, or the time ran out. Never throws.
 */
export function cqlQuery(port: number, cql: string, timeoutMs = 3000, host = '127.0.0.1'): Promise<(string | null)[][] | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    let buffered = Buffer.alloc(0);
    let done = false;
    const finish = (rows: (string | null)[][] | undefined): void => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(rows);
    };
    socket.setTimeout(timeoutMs, () => finish(undefined));
    socket.on('error', () => finish(undefined));
    socket.on('close', () => finish(undefined));
    socket.on('connect', () => socket.write(startupFrame()));
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 9) {
        const length = buffered.readInt32BE(5);
        if (buffered.length < 9 + length) return;
        const opcode = buffered.readUInt8(4);
        const body = buffered.subarray(9, 9 + length);
        buffered = buffered.subarray(9 + length);
        if (opcode === OP_READY) socket.write(queryFrame(cql));
        else if (opcode === OP_RESULT) {
          try {
            finish(parseRows(body));
          } catch {
            finish(undefined);
          }
        } else if (opcode === OP_ERROR) finish(undefined);
        else finish(undefined);
      }
    });
  });
}

/**
 * Apache Cassandra 5.0 from Maven Central's cassandra-all jars, run on Java 17 as one node on loopback
 * (as the service user when started by root).
 * The probe is a real CQL query: the native port opens only once the node has joined its ring.
 */
export const cassandra: ServerDefinition = {
  name: 'cassandra',
  version: CASSANDRA_VERSION,
  async obtain(ctx) {
    await ensureJava17(ctx);
    await fetchWithDependencies(ctx, {
      artifacts: [`org.apache.cassandra:cassandra-all:${CASSANDRA_VERSION}`],
      outputDir: libDir(ctx),
      label: `cassandra ${CASSANDRA_VERSION}: fetching jars from Maven Central`,
    });
  },
  async start(ctx) {
    const java = await ensureJava17(ctx);
    // Not as root: root may mlockall, and Cassandra does so whenever it can, which pins the whole heap
    // in memory. The service user's small RLIMIT_MEMLOCK makes that call fail with a warning.
    const user = serviceUser();
    const dirs = cassandraDirs(ctx.dataDir);
    for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dirs.conf, 'cassandra.yaml'), cassandraYaml(ctx.dataDir, ctx.ports));
    writeFileSync(join(dirs.conf, 'logback.xml'), CASSANDRA_LOGBACK);
    chownTree(ownedDir(ctx.dataDir, user), user);
    ctx.spawn('cassandra', { command: java, args: cassandraJvmArgs(ctx.dataDir, jarsIn(libDir(ctx))), cwd: ctx.dataDir, ...(user ? { user } : {}) });
    await ctx.waitFor('cassandra', () => cassandra.probe(ctx), 180_000, 'cassandra');
  },
  async probe(ctx) {
    const rows = await cqlQuery(ctx.ports.cassandra, 'SELECT release_version FROM system.local', 2000);
    return rows?.[0]?.[0] === CASSANDRA_VERSION;
  },
  env: (ctx) => ({
    LERN_CASSANDRA_CONTACT_POINTS: `127.0.0.1:${ctx.ports.cassandra}`,
    LERN_CASSANDRA_HOST: '127.0.0.1',
    LERN_CASSANDRA_PORT: String(ctx.ports.cassandra),
    LERN_CASSANDRA_LOCAL_DC: CASSANDRA_DATACENTER,
  }),
};
