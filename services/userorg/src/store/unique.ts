/**
 * The lookup tables behind unique values: `user_lookup` (type, keyed hash of the normalised value ->
 * user id), `org_lookup` (channel / `channel:externalId`, lower-cased -> organisation id) and
 * `location_code` (lower-cased code -> location id). Reservations are lightweight transactions, so two
 * requests can never both hold a value.
 */
import type { LookupType, PiiCipher } from '../pii.ts';
import type { ReserveOutcome, Reservations, UniqueValue } from '../unique.ts';
import type { Cql } from './cql.ts';

interface TableShape {
  table: string;
  /** Partition key columns, in order, and how the value fills them. */
  keys: (v: UniqueValue) => { where: string; params: unknown[] };
  owner: string;
}

const SHAPES: Record<UniqueValue['table'], TableShape> = {
  user: { table: 'user_lookup', keys: (v) => ({ where: 'type = ? AND value = ?', params: [v.type, v.key] }), owner: 'userid' },
  org: { table: 'org_lookup', keys: (v) => ({ where: 'type = ? AND value = ?', params: [v.type, v.key] }), owner: 'orgid' },
  location: { table: 'location_code', keys: (v) => ({ where: 'code = ?', params: [v.key] }), owner: 'id' },
};

/** The unique values of users, organisations and locations. */
export class UniqueTables implements Reservations {
  private readonly cql: Cql;
  private readonly cipher: PiiCipher;

  constructor(cql: Cql, cipher: PiiCipher) {
    this.cql = cql;
    this.cipher = cipher;
  }

  /** The stored key of a user identifier (keyed hash): the one place that hashes emails, phones and user names. */
  identifierKey(type: LookupType, value: string): string {
    return this.cipher.lookupHash(type, value);
  }

  /** A user identifier as a unique value. */
  userValue(type: LookupType, value: string): UniqueValue {
    return { table: 'user', type, key: this.identifierKey(type, value) };
  }

  async reserve(value: UniqueValue, owner: string): Promise<ReserveOutcome> {
    const shape = SHAPES[value.table];
    const { params } = shape.keys(value);
    const columns = value.table === 'location' ? ['code', 'id'] : ['type', 'value', shape.owner];
    const row = await this.cql.conditional(
      `INSERT INTO ${this.cql.table(shape.table)} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) IF NOT EXISTS`,
      [...params, owner],
    );
    if (row['[applied]'] === true) return 'reserved';
    return row[shape.owner] === owner ? 'held' : 'taken';
  }

  async release(value: UniqueValue, owner: string): Promise<void> {
    const shape = SHAPES[value.table];
    const { where, params } = shape.keys(value);
    await this.cql.conditional(`DELETE FROM ${this.cql.table(shape.table)} WHERE ${where} IF ${shape.owner} = ?`, [...params, owner]);
  }

  /** Who holds a value; null when free. */
  async owner(value: UniqueValue): Promise<string | null> {
    const shape = SHAPES[value.table];
    const { where, params } = shape.keys(value);
    const row = await this.cql.one(`SELECT ${shape.owner} FROM ${this.cql.table(shape.table)} WHERE ${where}`, params);
    const id = row?.[shape.owner];
    return typeof id === 'string' ? id : null;
  }
}

/** An organisation's channel as a unique value. */
export function channelValue(channel: string): UniqueValue {
  return { table: 'org', type: 'channel', key: channel.toLowerCase() };
}

/** An organisation's external id, unique within its channel. */
export function orgExternalIdValue(channel: string | null, externalId: string): UniqueValue {
  return { table: 'org', type: 'externalid', key: `${channel ?? ''}:${externalId}`.toLowerCase() };
}

/** A location code as a unique value. */
export function locationCodeValue(code: string): UniqueValue {
  return { table: 'location', type: 'code', key: code.toLowerCase() };
}
