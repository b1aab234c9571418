/**
 * @lern/user-cache-updater: keeps the Redis entries the services read about a user consistent with
 * Cassandra, from User-Org's `user.events` and AUDIT telemetry on `telemetry.audit`.
 *
 * What Lern's services read from Redis about a user: User-Org's user view (`userorg:user:<id>`,
 * JSON, masked) and the kit's caller record (`lern:caller:<id>`, status and grants). Both are
 * read-through caches filled from Cassandra, so this job drops them and the next read refills them
 * from the committed row. It does not write them: a value computed here could overwrite a newer one
 * written by a service in between. User-Org already drops both keys after each write; the job
 * closes the window that leaves open: a read that loaded the old row before the write and stored
 * its view after the drop would otherwise serve it until its TTL. The event arrives after the
 * write, so its drop is the last word.
 *
 * Upstream's job wrote `user:<id>` hashes with profile fields for analytics; no Lern service reads
 * them, and they would put personal data in Redis, so they are not written.
 */
import { callerCacheKey } from '@lern/kit';
import { defineJob, done, fail, type Job, type Outcome } from '@lern/job-kit';
import { USER_EVENTS_TOPIC, userCacheKey } from '@lern/userorg';
import { userChangeOf } from './changes.ts';

/** Topic of upstream's AUDIT telemetry (without the prefix). */
export const AUDIT_TOPIC = 'telemetry.audit';

/** The Redis keys holding what the services cache about a user. */
export function userCacheKeys(userId: string): string[] {
  return [userCacheKey(userId), callerCacheKey(userId)];
}

/** The job. */
export const job: Job = defineJob({
  name: 'user-cache-updater',
  topics: [USER_EVENTS_TOPIC, AUDIT_TOPIC],
  connectors: ['redis', 'kafka'],
  primary: 'redis',
  // Dropping keys is cheap and batches well: one DEL for a whole batch of events.
  batchSize: 500,
  setup: ({ connectors }) => connectors.redis!,
  async handleBatch(events, { deps: redis }): Promise<Outcome[]> {
    const changes = events.map((e) => userChangeOf(e.value));
    const keys = [...new Set(changes.flatMap((c) => (c.kind === 'user' ? userCacheKeys(c.userId) : [])))];
    if (keys.length > 0) await redis.client.del(...keys);
    return changes.map((c) => (c.kind === 'invalid' ? fail(`not a user change event: ${c.reason}`) : done()));
  },
});

export { userChangeOf, USERORG_EVENT_SCHEMA, type UserChange } from './changes.ts';
