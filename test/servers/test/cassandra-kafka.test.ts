import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cassandraJvmArgs, cassandraYaml, parseRows, queryFrame, startupFrame } from '../src/servers/cassandra.ts';
import { describeClusterRequest, kafkaProperties, parseDescribeClusterResponse, randomClusterId } from '../src/servers/kafka.ts';

describe('cassandra configuration', () => {
  const ports = { cassandra: 19042, cassandraStorage: 17000 };

  it('is a single loopback node of one token with everything under its data folder', () => {
    const config = parse(cassandraYaml('/srv/c', ports)) as Record<string, unknown>;
    expect(config).toMatchObject({
      listen_address: '127.0.0.1',
      rpc_address: '127.0.0.1',
      native_transport_port: 19042,
      storage_port: 17000,
      num_tokens: 1,
      auto_snapshot: false,
      endpoint_snitch: 'SimpleSnitch',
      concurrent_compactors: 1,
      commitlog_sync: 'periodic',
      data_file_directories: ['/srv/c/data'],
      commitlog_directory: '/srv/c/commitlog',
    });
    const seeds = (config.seed_provider as { parameters: { seeds: string }[] }[])[0]!.parameters[0]!.seeds;
    expect(seeds).toBe('127.0.0.1:17000');
  });

  it('starts the JVM with the jamm agent found on the classpath, and fails clearly without it', () => {
    const args = cassandraJvmArgs('/srv/c', ['/lib/a.jar', '/lib/jamm-0.4.0.jar']);
    expect(args).toContain('-javaagent:/lib/jamm-0.4.0.jar');
    expect(args).toContain('-Dcassandra.config=file:///srv/c/conf/cassandra.yaml');
    expect(args.at(-1)).toBe('org.apache.cassandra.service.CassandraDaemon');
    expect(args.at(-2)).toBe('/lib/a.jar:/lib/jamm-0.4.0.jar');
    expect(() => cassandraJvmArgs('/srv/c', ['/lib/a.jar'])).toThrow(/jamm/);
  });
});

describe('CQL native protocol frames', () => {
  it('encodes STARTUP and QUERY as protocol v4 requests', () => {
    const startup = startupFrame();
    expect([...startup.subarray(0, 5)]).toEqual([0x04, 0x00, 0x00, 0x00, 0x01]);
    expect(startup.readInt32BE(5)).toBe(startup.length - 9);
    expect(startup.subarray(9).toString('latin1')).toContain('CQL_VERSION');
    const query = queryFrame('SELECT 1', 7);
    expect(query.readInt16BE(2)).toBe(7);
    expect(query.readUInt8(4)).toBe(0x07);
    expect(query.readInt32BE(9)).toBe(8);
    expect(query.subarray(13, 21).toString()).toBe('SELECT 1');
    expect([...query.subarray(21)]).toEqual([0x00, 0x01, 0x00]);
  });

  it('reads the text cells of a Rows result, nulls included, and nothing from other results', () => {
    const str = (s: string): Buffer => Buffer.concat([Buffer.from([0, s.length]), Buffer.from(s)]);
    const int = (n: number): Buffer => {
      const b = Buffer.alloc(4);
      b.writeInt32BE(n);
      return b;
    };
    const varchar = Buffer.from([0x00, 0x0d]);
    const rows = Buffer.concat([
      int(2),
      int(1),
      int(2),
      str('system'),
      str('local'),
      str('release_version'),
      varchar,
      str('data_center'),
      varchar,
      int(2),
      int(5),
      Buffer.from('5.0.9'),
      int(-1),
      int(1),
      Buffer.from('x'),
      int(0),
      Buffer.alloc(0),
    ]);
    expect(parseRows(rows)).toEqual([
      ['5.0.9', null],
      ['x', ''],
    ]);
    expect(parseRows(int(1))).toBeUndefined();
  });
});

describe('kafka configuration', () => {
  it('is one broker-controller on loopback that creates no topic on demand', () => {
    const lines = kafkaProperties('/srv/k', { kafka: 19092, kafkaController: 19093 }).split('\n');
    const props = Object.fromEntries(lines.filter((l) => l.includes('=') && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(props).toMatchObject({
      'process.roles': 'broker,controller',
      'controller.quorum.voters': '1@127.0.0.1:19093',
      listeners: 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093',
      'log.dirs': '/srv/k/data',
      'auto.create.topics.enable': 'false',
      'offsets.topic.replication.factor': '1',
      'transaction.state.log.replication.factor': '1',
      'group.initial.rebalance.delay.ms': '0',
    });
  });

  it('makes cluster ids of 16 bytes in URL-safe base64 that never look like an option', () => {
    for (let i = 0; i < 200; i++) {
      const id = randomClusterId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    }
  });
});

describe('Kafka DescribeCluster frames', () => {
  it('encodes a v0 request with a flexible header and its size', () => {
    const request = describeClusterRequest(42, 'p');
    expect(request.readInt32BE(0)).toBe(request.length - 4);
    expect(request.readInt16BE(4)).toBe(60);
    expect(request.readInt16BE(6)).toBe(0);
    expect(request.readInt32BE(8)).toBe(42);
    expect(request.readInt16BE(12)).toBe(1);
    expect([...request.subarray(14)]).toEqual([0x70, 0x00, 0x00, 0x00]);
  });

  const compact = (s: string | null): Buffer => (s === null ? Buffer.from([0]) : Buffer.concat([Buffer.from([s.length + 1]), Buffer.from(s)]));
  const int32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  const response = (correlationId: number, errorCode: number): Buffer =>
    Buffer.concat([
      int32(correlationId),
      Buffer.from([0]),
      int32(0),
      Buffer.from([0, errorCode]),
      compact(errorCode ? 'no' : null),
      compact('abc'),
      int32(1),
      Buffer.from([2]),
      int32(1),
      compact('127.0.0.1'),
      int32(19092),
      compact(null),
      Buffer.from([0]),
      int32(-2147483648),
      Buffer.from([0]),
    ]);

  it('reads cluster id, controller and brokers', () => {
    expect(parseDescribeClusterResponse(response(9, 0), 9)).toEqual({ clusterId: 'abc', controllerId: 1, brokers: [{ nodeId: 1, host: '127.0.0.1', port: 19092 }] });
  });

  it('answers nothing for an error or a reply to another request', () => {
    expect(parseDescribeClusterResponse(response(9, 31), 9)).toBeUndefined();
    expect(parseDescribeClusterResponse(response(8, 0), 9)).toBeUndefined();
  });
});
