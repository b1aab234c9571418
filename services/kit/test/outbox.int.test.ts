/**
 * The outbox against the real servers, with Kafka and Elasticsearch cut off by loopback proxies:
 * nothing is lost, requests stay fast, and everything arrives once the servers are reachable again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDEX, TEST_TIMING, eventually, startOutboxFixture, type OutboxFixture } from './outbox-fixture.ts';
import type { Outbox } from '@lern/kit';

let f: OutboxFixture;
let outbox: Outbox;

beforeAll(async () => {
  f = await startOutboxFixture(import.meta.url);
  outbox = f.outbox();
  outbox.start();
});
afterAll(async () => {
  await f?.close();
});

/** What the consumer got for these keys, in arrival order per key. */
const receivedFor = (keys: readonly string[]) => f.received.filter((m) => m.key !== null && keys.includes(m.key));
const valuesByKey = (messages: { key: string | null; value: string }[]) => {
  const out: Record<string, string[]> = {};
  for (const m of messages) (out[m.key!] ??= []).push(m.value);
  return out;
};

/** Writes and checks that the request path waited no longer than its bound. */
async function timedWrite(id: string, title: string | null, version: number) {
  const started = performance.now();
  const written = await f.writeDoc(outbox, id, title, version);
  expect(performance.now() - started).toBeLessThan(TEST_TIMING.requestDeliveryTimeoutMs + 1_000);
  return { id, ...written };
}

describe('outbox', () => {
  it('delivers on the request path when everything is up, leaving no row behind', async () => {
    const { event, result } = await timedWrite('up-1', 'First', 1);
    expect(result).toMatchObject({ delivered: 2, pending: 0 });
    expect(await f.search.get(INDEX, 'up-1')).toEqual({ title: 'First', version: 1 });
    await eventually(() => expect(valuesByKey(receivedFor(['up-1']))).toEqual({ 'up-1': [event] }));
    expect((await f.outboxRows()).filter((r) => r.ref === 'up-1')).toEqual([]);
    expect(f.kafkaProxy.forwarded).toBeGreaterThan(0);
  });

  it('while Kafka is unreachable, keeps every event and publishes each once Kafka is back', async () => {
    await f.kafkaProxy.cut('refuse');
    const written: { id: string; event: string }[] = [];
    const keys = ['kd-1', 'kd-2', 'kd-3', 'kd-4'];
    for (let version = 1; version <= 3; version++) {
      for (const id of keys) written.push(await timedWrite(id, `Title ${version}`, version));
    }
    // The change and its index update went through; the events wait in the outbox.
    const rows = await f.outboxRows();
    expect(rows.filter((r) => r.kind === 'kafka' && keys.includes(r.ref!))).toHaveLength(written.length);
    expect(rows.filter((r) => r.kind === 'index' && keys.includes(r.ref!))).toEqual([]);
    for (const id of keys) expect(await f.search.get(INDEX, id)).toEqual({ title: 'Title 3', version: 3 });

    // The relay keeps trying and says so.
    await eventually(async () => {
      expect((await f.outboxRows()).some((r) => keys.includes(r.ref!) && (r.attempts ?? 0) > 0)).toBe(true);
      expect(outbox.backlog().destinations).toContain('kafka:docs.events');
    });
    expect(receivedFor(keys)).toEqual([]);
    expect(await outbox.registry.getSingleMetricAsString('lern_outbox_retried_total')).toMatch(/destination="kafka:docs.events"} [1-9]/);

    await f.kafkaProxy.restore();
    const expected = valuesByKey(written.map((w) => ({ key: w.id, value: w.event })));
    await eventually(() => expect(valuesByKey(receivedFor(keys))).toEqual(expected), 60_000);
    await eventually(async () => expect((await f.outboxRows()).filter((r) => keys.includes(r.ref!))).toEqual([]));
    // Exactly once each here, in the order written per key (checked above), and nothing more arrives.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(receivedFor(keys)).toHaveLength(written.length);
    await eventually(() => expect(outbox.backlog().destinations).toEqual([]));
  });

  it('while the search engine does not answer, requests stay fast and the index catches up with the latest state', async () => {
    await timedWrite('sd-gone', 'To delete', 1);
    expect(await f.search.get(INDEX, 'sd-gone')).not.toBeNull();

    await f.esProxy.cut('blackhole');
    const keys = ['sd-1', 'sd-2', 'sd-3'];
    const written = [];
    for (let version = 1; version <= 2; version++) {
      for (const id of keys) written.push(await timedWrite(id, `Doc ${version}`, version));
    }
    written.push(await timedWrite('sd-gone', null, 2));
    // Events were published on the request path (Kafka is up); index updates wait.
    await eventually(() => expect(receivedFor([...keys, 'sd-gone']).length).toBe(written.length + 1));
    const waiting = (await f.outboxRows()).filter((r) => r.kind === 'index');
    expect(new Set(waiting.map((r) => r.ref))).toEqual(new Set([...keys, 'sd-gone']));
    expect(await f.search.get(INDEX, 'sd-1')).toBeNull();

    await f.esProxy.restore();
    await eventually(async () => {
      for (const id of keys) expect(await f.search.get(INDEX, id)).toEqual({ title: 'Doc 2', version: 2 });
      expect(await f.search.get(INDEX, 'sd-gone')).toBeNull();
    }, 60_000);
    await eventually(async () => expect((await f.outboxRows()).filter((r) => r.kind === 'index')).toEqual([]));
    expect(await outbox.registry.getSingleMetricAsString('lern_outbox_delivered_total')).toMatch(/destination="index:doc",path="relay"} [1-9]/);
  });
});
