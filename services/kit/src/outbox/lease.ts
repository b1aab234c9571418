/**
 * Per-bucket delivery leases, so that several replicas running the relay do not deliver the same
 * entries at once: a row in lern_outbox_lease taken with INSERT ... IF NOT EXISTS USING TTL, renewed
 * with UPDATE ... IF owner = me, freed by its TTL or on close. Leases are only needed to deliver;
 * reading buckets and moving cursors are safe without one.
 */
import cassandra from 'cassandra-driver';
import type { CassandraConnector } from '../connectors/cassandra.ts';
import { leaseStep } from './decide.ts';
import { OUTBOX_TABLES } from './schema.ts';

const LWT = { serialConsistency: cassandra.types.consistencies.localSerial };

/** The leases one relay holds. */
export class BucketLeases {
  private readonly db: CassandraConnector;
  private readonly table: string;
  private readonly owner: string;
  private readonly ttlSeconds: number;
  /** Bucket -> until when this relay surely holds it (epoch ms, measured from before the request). */
  private readonly heldUntil = new Map<number, number>();

  constructor(db: CassandraConnector, keyspace: string, owner: string, ttlSeconds: number) {
    this.db = db;
    this.table = db.table(keyspace, OUTBOX_TABLES.lease);
    this.owner = owner;
    this.ttlSeconds = ttlSeconds;
  }

  /** Takes or renews the bucket's lease when needed; false when another relay holds it. */
  async hold(bucket: number, now: number = Date.now()): Promise<boolean> {
    const step = leaseStep(this.heldUntil.get(bucket), now, this.ttlSeconds * 1000);
    if (step === 'hold') return true;
    if (step === 'renew' && (await this.renew(bucket))) return this.held(bucket, now);
    // Not held, or lost (expired, maybe taken by another relay): take it if it is free.
    const taken = await this.db.execute(`INSERT INTO ${this.table} (bucket, owner) VALUES (?, ?) IF NOT EXISTS USING TTL ?`, [bucket, this.owner, this.ttlSeconds], LWT);
    if (taken.wasApplied()) return this.held(bucket, now);
    // Ours already (e.g. after a failed renew answer): renew it to know when it expires.
    if (taken.first()?.get('owner') === this.owner && (await this.renew(bucket))) return this.held(bucket, now);
    this.heldUntil.delete(bucket);
    return false;
  }

  private held(bucket: number, since: number): true {
    this.heldUntil.set(bucket, since + this.ttlSeconds * 1000);
    return true;
  }

  private async renew(bucket: number): Promise<boolean> {
    const renewed = await this.db.execute(`UPDATE ${this.table} USING TTL ? SET owner = ? WHERE bucket = ? IF owner = ?`, [this.ttlSeconds, this.owner, bucket, this.owner], LWT);
    return renewed.wasApplied();
  }

  /** Whether this relay believes it holds the bucket for at least `marginMs` more. */
  holds(bucket: number, now: number, marginMs: number): boolean {
    return (this.heldUntil.get(bucket) ?? 0) > now + marginMs;
  }

  /** Frees every lease this relay holds (on close), so another replica can take over at once. */
  async releaseAll(): Promise<void> {
    const buckets = [...this.heldUntil.keys()];
    this.heldUntil.clear();
    await Promise.allSettled(buckets.map((bucket) => this.db.execute(`DELETE FROM ${this.table} WHERE bucket = ? IF owner = ?`, [bucket, this.owner], LWT)));
  }
}
