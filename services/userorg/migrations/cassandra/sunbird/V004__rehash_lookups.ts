/**
 * Rehashes the user lookups from the unkeyed sha256 of the normalised value (brute-forceable: a phone
 * number has about 10^10 values) to the keyed HMAC of `PiiCipher.lookupHash`, and the search
 * documents' `emailHash`/`phoneHash` with them.
 *
 * A hash cannot be reversed, so the work is driven from the values: every `user` row gives its email
 * and phone (decrypted) and user name, every `usr_external_identity` row its external id. For each
 * value whose legacy `user_lookup` row belongs to that user, the keyed row is claimed first (LWT) and
 * the legacy row deleted after (LWT, only while still that user's). A crash leaves at worst both rows
 * of a value; a re-run finds either no legacy row or a keyed row the user already holds, so it
 * finishes the work and changes nothing else.
 *
 * Left as they are, and counted in the log (by type and user id, never the value): a legacy row held
 * by another user than the one whose value produces it, a value whose keyed row another user holds,
 * a sealed value that does not decrypt, and lookup rows that no current value produces (left behind
 * by an interrupted create or update; nothing reads them once the service uses keyed hashes).
 *
 * Search documents are updated when LERN_SEARCH_URL is set; otherwise (the operator's Cassandra
 * migration Job) they keep the old hashes until `lern reindex user` or `POST /v1/data/sync`.
 */
import cassandra from 'cassandra-driver';
import { createSearch, type BulkOp, type CodeMigrationContext, type SearchConnector } from '@lern/kit';
import { createPiiCipher, legacyLookupHash, type LookupType, type PiiCipher } from '../../../src/pii.ts';

/** Users per page; each page's users are rehashed concurrently. */
const PAGE = 100;
const LWT = { serialConsistency: cassandra.types.consistencies.localSerial };
const USER_ALIAS = 'user_alias';
/** Anomalies logged one by one; beyond this only counted. */
const MAX_NOTES = 20;

interface Tally {
  rehashed: Record<LookupType, number>;
  /** Values without a legacy row: already rehashed, or never claimed. */
  current: number;
  kept: number;
  undecryptable: number;
  documents: number;
  notes: number;
}

type Row = cassandra.types.Row;

/** Every row of a query, page by page; `onPage` may stop early. */
async function eachPage(ctx: CodeMigrationContext, cql: string, onPage: (rows: Row[]) => 'stop' | void | Promise<void>): Promise<void> {
  let pageState: string | undefined;
  do {
    const result = await ctx.db.execute(cql, [], { fetchSize: PAGE, ...(pageState ? { pageState } : {}) });
    if ((await onPage(result.rows)) === 'stop') return;
    pageState = result.pageState || undefined;
  } while (pageState);
}

/** A wrong key would hash every value wrongly and delete the rows that still work: fail before any write. */
async function checkKey(ctx: CodeMigrationContext, cipher: PiiCipher): Promise<void> {
  await eachPage(ctx, `SELECT id, email, phone FROM ${ctx.table('user')}`, (rows) => {
    for (const row of rows) {
      const sealed = [row.get('email'), row.get('phone')].find((v): v is string => typeof v === 'string' && v.startsWith('v1:'));
      if (sealed === undefined) continue;
      try {
        cipher.decrypt(sealed);
      } catch {
        throw new Error(`LERN_ENCRYPTION_KEY does not decrypt the stored contact of user ${String(row.get('id'))}: run the migration with the key the service uses`);
      }
      return 'stop';
    }
  });
}

function note(ctx: CodeMigrationContext, tally: Tally, line: string): void {
  if (tally.notes++ < MAX_NOTES) ctx.log(line);
}

/** Moves one value's lookup row from the legacy hash to the keyed one. */
async function rehash(ctx: CodeMigrationContext, cipher: PiiCipher, tally: Tally, type: LookupType, value: string, userId: string): Promise<void> {
  const table = ctx.table('user_lookup');
  const legacy = legacyLookupHash(type, value);
  const owner = (await ctx.db.execute(`SELECT userid FROM ${table} WHERE type = ? AND value = ?`, [type, legacy])).first()?.get('userid') as string | undefined;
  if (owner === undefined) {
    tally.current++;
    return;
  }
  if (owner !== userId) {
    tally.kept++;
    note(ctx, tally, `kept: the legacy ${type} row of user ${userId}'s value belongs to user ${owner}`);
    return;
  }
  const claim = await ctx.db.execute(`INSERT INTO ${table} (type, value, userid) VALUES (?, ?, ?) IF NOT EXISTS`, [type, cipher.lookupHash(type, value), userId], LWT);
  const holder = claim.wasApplied() ? userId : (claim.first()?.get('userid') as string | undefined);
  if (holder !== userId) {
    tally.kept++;
    note(ctx, tally, `kept: user ${userId}'s ${type} is already held by user ${String(holder)} under the keyed hash`);
    return;
  }
  await ctx.db.execute(`DELETE FROM ${table} WHERE type = ? AND value = ? IF userid = ?`, [type, legacy, userId], LWT);
  tally.rehashed[type]++;
}

/** The clear value of a sealed column, null when empty; undefined (counted) when it does not decrypt. */
function unseal(ctx: CodeMigrationContext, cipher: PiiCipher, tally: Tally, row: Row, column: 'email' | 'phone'): string | null | undefined {
  const sealed = row.get(column) as string | null;
  if (sealed === null || sealed === '') return null;
  try {
    return cipher.decrypt(sealed);
  } catch {
    tally.undecryptable++;
    note(ctx, tally, `kept: the ${column} of user ${String(row.get('id'))} does not decrypt`);
    return undefined;
  }
}

async function rehashUsers(ctx: CodeMigrationContext, cipher: PiiCipher, tally: Tally, search: SearchConnector | null): Promise<void> {
  await eachPage(ctx, `SELECT id, email, phone, username FROM ${ctx.table('user')}`, async (rows) => {
    const documents: BulkOp[] = [];
    await Promise.all(
      rows.map(async (row) => {
        const id = row.get('id') as string;
        const email = unseal(ctx, cipher, tally, row, 'email');
        const phone = unseal(ctx, cipher, tally, row, 'phone');
        const userName = row.get('username') as string | null;
        if (email) await rehash(ctx, cipher, tally, 'email', email, id);
        if (phone) await rehash(ctx, cipher, tally, 'phone', phone, id);
        if (userName) await rehash(ctx, cipher, tally, 'username', userName, id);
        // Only the hashes change; a value that did not decrypt keeps its document field.
        const doc: Record<string, string> = {};
        if (email) doc.emailHash = cipher.lookupHash('email', email);
        if (phone) doc.phoneHash = cipher.lookupHash('phone', phone);
        if (Object.keys(doc).length > 0) documents.push({ op: 'update', alias: USER_ALIAS, id, doc });
      }),
    );
    if (search && documents.length > 0) {
      // 404: the user has no document (never indexed); `lern reindex` would write it whole.
      const { errors } = await search.bulk(documents);
      const failed = errors.filter((e) => e.status !== 404);
      if (failed.length > 0) throw new Error(`search documents not updated: ${failed.slice(0, 3).map((e) => `${e.id} ${e.reason}`).join('; ')}`);
      tally.documents += documents.length - errors.length;
    }
  });
}

async function rehashExternalIds(ctx: CodeMigrationContext, cipher: PiiCipher, tally: Tally): Promise<void> {
  await eachPage(ctx, `SELECT provider, idtype, externalid, userid FROM ${ctx.table('usr_external_identity')}`, async (rows) => {
    await Promise.all(
      rows.map(async (row) => {
        const userId = row.get('userid') as string | null;
        if (!userId) return;
        // The value the service hashes: provider:idType:id (normalisation lower-cases it, as the table's keys are).
        const value = `${String(row.get('provider'))}:${String(row.get('idtype'))}:${String(row.get('externalid'))}`;
        await rehash(ctx, cipher, tally, 'externalid', value, userId);
      }),
    );
  });
}

/** The search connector when the user index is there to update; null (logged) otherwise. */
async function openUserIndex(ctx: CodeMigrationContext): Promise<SearchConnector | null> {
  if (!ctx.config.search.urls) {
    ctx.log('search is not configured here: user documents keep the old emailHash/phoneHash until `lern reindex user`');
    return null;
  }
  const search = createSearch(ctx.config.search);
  try {
    const head = await search.request('HEAD', `/${encodeURIComponent(search.name(USER_ALIAS))}`);
    if (head.status === 200) return search;
    if (head.status !== 404) throw new Error(`search: HEAD ${search.name(USER_ALIAS)} answered ${head.status}`);
    ctx.log(`search: no ${search.name(USER_ALIAS)} yet, no documents to update`);
  } catch (error) {
    await search.close();
    throw error;
  }
  await search.close();
  return null;
}

/** Rehashes every user lookup (and user document) from the legacy sha256 to the keyed HMAC. */
export async function up(ctx: CodeMigrationContext): Promise<void> {
  const secret = ctx.config.encryptionKey;
  if (!secret) {
    const any = (await ctx.db.execute(`SELECT userid FROM ${ctx.table('user_lookup')} LIMIT 1`)).rowLength > 0;
    if (any) throw new Error('LERN_ENCRYPTION_KEY is not set: the lookups are rehashed with a key derived from it');
    ctx.log('no lookups to rehash');
    return;
  }
  const cipher = createPiiCipher(secret);
  await checkKey(ctx, cipher);
  const tally: Tally = { rehashed: { email: 0, phone: 0, username: 0, externalid: 0 }, current: 0, kept: 0, undecryptable: 0, documents: 0, notes: 0 };
  const search = await openUserIndex(ctx);
  try {
    await rehashUsers(ctx, cipher, tally, search);
    await rehashExternalIds(ctx, cipher, tally);
    if (search) await search.refresh(USER_ALIAS);
  } finally {
    await search?.close();
  }
  const r = tally.rehashed;
  ctx.log(
    `rehashed ${r.email} email, ${r.phone} phone, ${r.username} username, ${r.externalid} externalid lookups; ` +
      `${tally.current} already current; left ${tally.kept} held by another user, ${tally.undecryptable} undecryptable; ` +
      `${search ? `${tally.documents} search documents updated` : 'search documents not updated'}`,
  );
}
