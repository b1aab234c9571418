/**
 * @lern/user-deletion-cleanup: consumes User-Org's `delete.user` instructions and removes what a
 * deleted user leaves behind: the `user_lookup` rows of their email, phone, user name and external
 * ids (so the values can be used again), their external identities, their open memberships (marked
 * left), the personal columns of their row (marked deleted), their search document (`user_alias`)
 * and the Redis entries the services read (User-Org's user view, the kit's caller). Users they
 * managed are cleaned up the same way. An AUDIT event per user goes to `telemetry.audit`, once.
 *
 * Every step is idempotent (derived from current state, conditional deletes, fixed dates from the
 * instruction), so redelivery changes nothing; the audit event is guarded by a run-once key.
 */
import { callerCacheKey, ConfigError, type KafkaConnector, type RedisConnector, type SearchConnector } from '@lern/kit';
import { defineJob, done, fail, retry, type Deduplicator, type Job, type Outcome } from '@lern/job-kit';
import { createPiiCipher, DELETE_USER_TOPIC, INDEX, userCacheKey } from '@lern/userorg';
import { AUDIT_TOPIC, toAuditEvent, type CleanupReport } from './audit.ts';
import { parseDeleteUser } from './instruction.ts';
import { planCleanup, UndecryptableError, type Identifiers } from './plan.ts';
import { CleanupStore, SchemaNotReadyError } from './store.ts';

/** What the handler works with. */
export interface CleanupDeps {
  store: CleanupStore;
  identifiers: Identifiers;
  search: SearchConnector;
  redis: RedisConnector;
  kafka: KafkaConnector;
  dedup: Deduplicator;
}

/** Cleans one user and says what it did; `managedBy` set for a managed user cleaned with their manager. */
async function cleanUser(deps: CleanupDeps, userId: string, at: Date, managedBy: string | null, organisationId: string | null): Promise<CleanupReport> {
  const snapshot = await deps.store.snapshot(userId);
  const plan = planCleanup(userId, snapshot, deps.identifiers);
  await deps.store.apply(plan, at);
  // After the row is final: a read that re-caches or re-indexes from here on sees the deleted user.
  await deps.search.delete(INDEX.user, userId);
  await deps.redis.client.del(userCacheKey(userId), callerCacheKey(userId));
  return {
    userId,
    organisationId: snapshot.user?.rootOrgId ?? organisationId,
    lookupsRemoved: plan.lookups.length,
    externalIdentitiesRemoved: plan.externalIdentities.length,
    organisationsLeft: plan.leaveOrganisations.length,
    userBlanked: plan.blankUser,
    managedBy,
  };
}

/** The job. */
export const job: Job = defineJob<CleanupDeps>({
  name: 'user-deletion-cleanup',
  topics: [DELETE_USER_TOPIC],
  connectors: ['cassandra', 'search', 'redis', 'kafka'],
  primary: 'cassandra',
  setup({ config, connectors, dedup }) {
    if (!config.encryptionKey) throw new ConfigError('LERN_ENCRYPTION_KEY', "is not set; it opens the users' email and phone to find their lookup rows");
    const cipher = createPiiCipher(config.encryptionKey);
    return {
      store: new CleanupStore(connectors.cassandra!),
      identifiers: { open: (sealed) => cipher.decrypt(sealed), hash: (type, value) => cipher.lookupHash(type, value) },
      search: connectors.search!,
      redis: connectors.redis!,
      kafka: connectors.kafka!,
      dedup: dedup!,
    };
  },
  async handle(event, { deps, log }): Promise<Outcome> {
    const parsed = parseDeleteUser(event.value, Number(event.timestamp));
    if (!parsed.ok) return fail(`not a delete.user instruction: ${parsed.reason}`);
    const { userId, organisationId, managedUsers, requestedAt } = parsed.instruction;
    const at = new Date(requestedAt);
    const reports: CleanupReport[] = [];
    try {
      const user = await deps.store.user(userId);
      if (user && organisationId !== null && user.rootOrgId !== null && user.rootOrgId !== organisationId) {
        return fail(`organisationId ${organisationId} is not the user's root organisation`);
      }
      reports.push(await cleanUser(deps, userId, at, null, organisationId));
      for (const managedId of managedUsers) {
        // Only users still managed by the deleted user: the list was made when the instruction was.
        const managed = await deps.store.user(managedId);
        if (managed?.managedBy !== userId) {
          log.info({ userId, managedId }, 'listed managed user is not managed by the deleted user; left alone');
          continue;
        }
        reports.push(await cleanUser(deps, managedId, at, userId, organisationId));
      }
    } catch (error) {
      // Neither gets better by retrying: dead-letter, to re-drive once the schema or the key is fixed.
      if (error instanceof SchemaNotReadyError || error instanceof UndecryptableError) return fail(error.message);
      throw error;
    }
    for (const report of reports) {
      const audit = toAuditEvent(report, requestedAt);
      const sent = await deps.dedup.once(`audit:${report.userId}`, () => deps.kafka.send(AUDIT_TOPIC, [audit]));
      if (sent === 'busy') return retry('the audit event of this user is being sent by another worker');
    }
    return done();
  },
});

export { parseDeleteUser, type DeleteUserInstruction, type ParsedInstruction } from './instruction.ts';
export { planCleanup, isEmptyPlan, externalIdLookup, DELETED_STATUS, UndecryptableError, type CleanupPlan, type UserSnapshot, type UserRow, type ExternalIdentityRow, type MembershipRow, type Identifiers, type LookupKey, type LookupKind } from './plan.ts';
export { toAuditEvent, AUDIT_TOPIC, type CleanupReport } from './audit.ts';
export { CleanupStore, SchemaNotReadyError, PERSONAL_COLUMNS } from './store.ts';
