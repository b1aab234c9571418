/**
 * The outbox's batch is all or nothing; two relays share a backlog without delivering twice; a
 * stuck entry holds back nothing but its own key; the relay lives and dies with the app.
 */
import cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type, addRoutes, bucketOf, createApp, defineRoute, defineService, indexEntry, kafkaEntry, sliceOf, OUTBOX_BUCKETS, type Outbox } from '@lern/kit';
import { INDEX, TOPIC, eventually, startOutboxFixture, type OutboxFixture } from './outbox-fixture.ts';

let f: OutboxFixture;

beforeAll(async () => {
  f = await startOutboxFixture(import.meta.url);
});
afterAll(async () => {
  await f?.close();
});

const docTable = () => f.db.table('sunbird', 'doc');
const docExists = async (id: string) => (await f.db.execute(`SELECT id FROM ${docTable()} WHERE id = ?`, [id])).rowLength > 0;

describe('a failed batch writes neither the change nor its entries', () => {
  it('a conditional statement spanning partitions: Cassandra rejects the whole batch', async () => {
    const outbox = f.outbox();
    const before = (await f.outboxRows()).length;
    await expect(
      outbox.write(
        [
          { query: `INSERT INTO ${docTable()} (id, title, version) VALUES (?, ?, ?)`, params: ['fb-1', 'Kept?', 1] },
          { query: `INSERT INTO ${docTable()} (id, title, version) VALUES (?, ?, ?) IF NOT EXISTS`, params: ['fb-2', 'Claim', 1] },
        ],
        [kafkaEntry(TOPIC, 'fb-1', { id: 'fb-1' }), indexEntry('doc', 'fb-1')],
      ),
    ).rejects.toThrow(/conditions/i);
    expect(await docExists('fb-1')).toBe(false);
    expect(await docExists('fb-2')).toBe(false);
    expect(await f.outboxRows()).toHaveLength(before);
  });

  it('a batch over the server size limit (a huge event) is rejected whole', async () => {
    const outbox = f.outbox();
    const before = (await f.outboxRows()).length;
    await expect(
      outbox.write(
        [{ query: `INSERT INTO ${docTable()} (id, title, version) VALUES (?, ?, ?)`, params: ['fb-3', 'Big', 1] }],
        [kafkaEntry(TOPIC, 'fb-3', { id: 'fb-3', blob: 'x'.repeat(80 * 1024) })],
      ),
    ).rejects.toThrow(/too large/i);
    expect(await docExists('fb-3')).toBe(false);
    expect(await f.outboxRows()).toHaveLength(before);
    expect(f.received.filter((m) => m.key === 'fb-3')).toEqual([]);
  });

  it('an entry for an unregistered destination fails before anything is written', async () => {
    const outbox = f.outbox();
    await expect(outbox.write([{ query: `INSERT INTO ${docTable()} (id, title, version) VALUES (?, ?, ?)`, params: ['fb-4', 'T', 1] }], [indexEntry('nope', 'fb-4')])).rejects.toThrow(
      /no index handler/,
    );
    expect(await docExists('fb-4')).toBe(false);
  });
});

describe('two relays (two replicas) on one backlog', () => {
  it('deliver every entry once Kafka is back, none twice', async () => {
    const replicaA = f.outbox({ owner: 'replica-a' });
    const replicaB = f.outbox({ owner: 'replica-b' });
    await f.kafkaProxy.cut('refuse');
    const keys = Array.from({ length: 12 }, (_, i) => `rr-${i}`);
    const events: string[] = [];
    for (const [i, id] of keys.entries()) {
      const { event } = await f.writeDoc(i % 2 === 0 ? replicaA : replicaB, id, `T${i}`, 1);
      events.push(event);
    }
    replicaA.start();
    replicaB.start();
    await eventually(async () => expect((await f.outboxRows()).some((r) => keys.includes(r.ref!) && (r.attempts ?? 0) > 0)).toBe(true));
    await f.kafkaProxy.restore();

    await eventually(() => expect(f.received.filter((m) => keys.includes(m.key!)).map((m) => m.value).sort()).toEqual([...events].sort()), 60_000);
    await eventually(async () => expect((await f.outboxRows()).filter((r) => keys.includes(r.ref!))).toEqual([]));
    await new Promise((r) => setTimeout(r, 1_500));
    expect(f.received.filter((m) => keys.includes(m.key!))).toHaveLength(keys.length);
    for (const id of keys) expect(await f.search.get(INDEX, id)).toMatchObject({ version: 1 });
    // Each event was sent once, by one of the two relays.
    const relayed = async (outbox: Outbox) =>
      ((await outbox.registry.getSingleMetric('lern_outbox_delivered_total')?.get())?.values ?? [])
        .filter((v) => v.labels.destination === `kafka:${TOPIC}`)
        .reduce((sum, v) => sum + v.value, 0);
    expect((await relayed(replicaA)) + (await relayed(replicaB))).toBe(keys.length);
    await Promise.all([replicaA.close(), replicaB.close()]);
    // Closing frees the leases at once.
    expect((await f.db.execute(`SELECT bucket FROM ${f.db.table('sunbird', 'lern_outbox_lease')}`)).rowLength).toBe(0);
  });
});

describe('attached to an app', () => {
  it('the relay starts when the app is ready, serves the request path, and stops when the app closes', async () => {
    let outbox: Outbox | undefined;
    const app = await createApp({
      service: defineService({
        name: 'outboxdemo',
        connectors: ['cassandra'],
        register(a) {
          outbox = f.outbox();
          outbox.attach(a);
          addRoutes(
            a,
            defineRoute({
              method: 'POST',
              url: '/v1/doc/write',
              policy: 'public',
              schema: { body: Type.Object({ id: Type.String(), title: Type.String() }) },
              async handler(req) {
                const { result } = await f.writeDoc(outbox!, req.body.id, req.body.title, 1);
                return result;
              },
            }),
          );
        },
      }),
      config: f.config,
      connectors: { cassandra: f.db },
      logger: false,
    });
    await app.ready();
    await eventually(() => expect(outbox!.backlog().scannedAt).not.toBeNull());
    const res = await app.inject({ method: 'POST', url: '/v1/doc/write', payload: { id: 'app-1', title: 'Via app' } });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ result: { delivered: number; pending: number } }>().result).toMatchObject({ delivered: 2, pending: 0 });
    expect(await f.search.get(INDEX, 'app-1')).toEqual({ title: 'Via app', version: 1 });

    await app.close();
    const last = outbox!.backlog().scannedAt;
    await new Promise((r) => setTimeout(r, 600));
    expect(outbox!.backlog().scannedAt).toBe(last);
  });
});

describe('a stuck entry', () => {
  it('holds back neither newer entries of its bucket nor the other buckets, and keeps the cursor at itself', async () => {
    const now = Date.now();
    const table = (name: string) => f.db.table('sunbird', name);
    // Relays were away for ten minutes: every cursor is ten slices back.
    const start = sliceOf(now) - 10;
    for (let bucket = 0; bucket < OUTBOX_BUCKETS; bucket++) await f.db.execute(`UPDATE ${table('lern_outbox_cursor')} SET first_slice = ? WHERE bucket = ?`, [start, bucket]);
    const stuck = indexEntry('poison', 'stuck-1');
    const bucket = bucketOf(stuck, 'x');
    const sameBucket = Array.from({ length: 500 }, (_, i) => `later-${i}`).find((id) => bucketOf(indexEntry('doc', id), 'x') === bucket)!;
    await f.db.execute(`INSERT INTO ${table('doc')} (id, title, version) VALUES (?, ?, ?)`, [sameBucket, 'Later', 1]);
    const insert = `INSERT INTO ${table('lern_outbox')} (bucket, slice, id, kind, target, ref, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, 'index', ?, ?, 0, ?, ?)`;
    const at = (ms: number) => [cassandra.types.TimeUuid.fromDate(new Date(ms)), new Date(ms), new Date(ms)] as const;
    const [stuckId, stuckDue, stuckCreated] = at(now - 10 * 60_000);
    await f.db.execute(insert, [bucket, start, stuckId, 'poison', 'stuck-1', stuckDue, stuckCreated]);
    const [laterId, laterDue, laterCreated] = at(now - 60_000);
    await f.db.execute(insert, [bucket, sliceOf(now - 60_000), laterId, 'doc', sameBucket, laterDue, laterCreated]);

    // Two slices per pass: without remembering which old slices are empty, the relay would read
    // the stuck entry's two slices for ever and never reach the newer entry.
    const outbox = f.outbox({
      indexHandlers: { doc: (id) => f.reindexDoc(id), poison: () => Promise.reject(new Error('cannot be indexed')) },
      timing: { requestDeliveryTimeoutMs: 500, relayGraceMs: 1_500, pollIntervalMs: 100, relayDeliveryTimeoutMs: 1_000, leaseTtlSeconds: 5, retry: { baseMs: 100, maxMs: 400, jitter: 0 }, maxSlicesPerPass: 2 },
    });
    outbox.start();
    await eventually(async () => expect(await f.search.get(INDEX, sameBucket)).toEqual({ title: 'Later', version: 1 }), 30_000);
    const left = (await f.outboxRows()).filter((r) => r.ref === 'stuck-1' || r.ref === sameBucket);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ ref: 'stuck-1' });
    expect(left[0]!.attempts).toBeGreaterThan(0);
    await eventually(async () => {
      const cursors = new Map((await f.db.execute(`SELECT bucket, first_slice FROM ${table('lern_outbox_cursor')}`)).rows.map((r) => [r.get('bucket') as number, r.get('first_slice') as number]));
      expect(cursors.get(bucket)).toBe(start);
      for (const [b, slice] of cursors) if (b !== bucket) expect(slice).toBeGreaterThanOrEqual(sliceOf(now - 60_000) - 1);
    });
    expect(outbox.backlog().destinations).toEqual(['index:poison']);
    await outbox.close();
    await f.db.execute(`DELETE FROM ${table('lern_outbox')} WHERE bucket = ? AND slice = ? AND id = ?`, [bucket, start, stuckId]);
  });
});
