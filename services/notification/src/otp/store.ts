/** The only CQL of OTP: `otp_code` and `otp_generation`. */
import type { CassandraConnector } from '@lern/kit';
import { KEYSPACE } from '../feed/store.ts';
import type { StoredCode } from './operations.ts';

export class OtpStore {
  private readonly db: CassandraConnector;
  private readonly codes: string;
  private readonly generations: string;

  constructor(db: CassandraConnector) {
    this.db = db;
    this.codes = db.table(KEYSPACE, 'otp_code');
    this.generations = db.table(KEYSPACE, 'otp_generation');
  }

  /** Codes generated for the key since `since`. */
  async recentGenerations(key: string, since: Date): Promise<number> {
    const rs = await this.db.execute(`SELECT COUNT(*) AS n FROM ${this.generations} WHERE key = ? AND at > minTimeuuid(?)`, [key, since], { prepare: true });
    return Number(rs.first()?.get('n') ?? 0);
  }

  /** Replaces the key's code (expiring after `ttlSeconds`) and records the generation. */
  async put(key: string, hash: string, at: Date, ttlSeconds: number, windowSeconds: number): Promise<void> {
    await this.db.batch(
      [
        { query: `INSERT INTO ${this.codes} (key, code_hash, attempts, created_at) VALUES (?, ?, 0, ?) USING TTL ?`, params: [key, hash, at, ttlSeconds] },
        { query: `INSERT INTO ${this.generations} (key, at) VALUES (?, now()) USING TTL ?`, params: [key, windowSeconds] },
      ],
      { prepare: true },
    );
  }

  async get(key: string): Promise<(StoredCode & { ttl: number }) | null> {
    const row = (await this.db.execute(`SELECT code_hash, attempts, TTL(code_hash) AS ttl FROM ${this.codes} WHERE key = ?`, [key], { prepare: true })).first();
    const hash = row?.get('code_hash') as string | null | undefined;
    if (!row || !hash) return null;
    return { codeHash: hash, attempts: (row.get('attempts') as number | null) ?? 0, ttl: (row.get('ttl') as number | null) ?? 0 };
  }

  /** Counts a wrong attempt, keeping the code's remaining lifetime. */
  async countAttempt(key: string, attempts: number, ttlSeconds: number): Promise<void> {
    await this.db.execute(`UPDATE ${this.codes} USING TTL ? SET attempts = ? WHERE key = ?`, [Math.max(1, ttlSeconds), attempts, key], { prepare: true });
  }

  async remove(key: string): Promise<void> {
    await this.db.execute(`DELETE FROM ${this.codes} WHERE key = ?`, [key], { prepare: true });
  }
}
