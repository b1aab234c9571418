import { fileURLToPath } from 'node:url';

/**
 * The outbox tables' CQL (`outbox.cql` beside this file). Services copy it verbatim into their own
 * Cassandra migrations, e.g. `services/userorg/migrations/cassandra/sunbird/V003__outbox.cql`, so
 * the kit's migration runner creates the tables in the keyspace whose changes they accompany.
 */
export const OUTBOX_CQL_PATH: string = fileURLToPath(new URL('./outbox.cql', import.meta.url));

/** Table names inside the service's keyspace. */
export const OUTBOX_TABLES = { entries: 'lern_outbox', cursor: 'lern_outbox_cursor', lease: 'lern_outbox_lease' } as const;

/**
 * Number of buckets the entries are spread over. Part of the stored format: writers and relays of
 * every version must agree on it (a relay scanning fewer buckets would never see some rows), so it
 * is a constant, not a setting.
 */
export const OUTBOX_BUCKETS = 16;

/** Length of the time slice that, with the bucket, makes an entry's partition. Part of the stored format. */
export const OUTBOX_SLICE_MS = 60_000;
