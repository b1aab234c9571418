/**
 * A counting job for the kit's integration suites, run in-process or as a real process
 * (fixture-main.ts). Each event `{id, n, poison?, slowMs?}` adds `n` to a total exactly once
 * (deduplicated with the kit's applyOnce), records which replica counted it, and counts every
 * delivery (redeliveries included) apart, so a suite can tell "delivered twice" from "counted twice".
 */
import { defineJob, done, fail, type Job } from '../src/index.ts';

/** Redis keys of one suite's fixture (under its own namespace). */
export function fixtureKeys(ns: string): { total: string; ids: string; deliveries: string; byReplica: string } {
  return { total: `${ns}:total`, ids: `${ns}:ids`, deliveries: `${ns}:deliveries`, byReplica: `${ns}:by-replica` };
}

/** The fixture job over `topic`, writing under `ns`, naming itself `replica`. */
export function fixtureJob(options: { topic: string; ns: string; replica: string }): Job {
  const keys = fixtureKeys(options.ns);
  return defineJob({
    name: 'fixture-counter',
    topics: [options.topic],
    connectors: ['redis', 'kafka'],
    primary: 'redis',
    setup: ({ connectors, dedup }) => ({ redis: connectors.redis!.client, dedup: dedup! }),
    async handle(event, { deps }) {
      let body: { id?: unknown; n?: unknown; poison?: unknown; slowMs?: unknown };
      try {
        body = JSON.parse(event.value ?? '') as typeof body;
      } catch {
        return fail('not JSON');
      }
      if (typeof body.id !== 'string' || typeof body.n !== 'number') return fail('id and n are required');
      await deps.redis.incr(keys.deliveries);
      if (body.poison === true) throw new Error(`poison event ${body.id}`);
      if (typeof body.slowMs === 'number') await new Promise((r) => setTimeout(r, body.slowMs as number));
      await deps.dedup.applyOnce(`${options.ns}:${body.id}`, [
        { command: 'INCRBY', keys: [keys.total], args: [body.n] },
        { command: 'SADD', keys: [keys.ids], args: [body.id] },
        { command: 'HINCRBY', keys: [keys.byReplica], args: [options.replica, 1] },
      ]);
      return done();
    },
  });
}
