/**
 * A batch's participants, read from the enrolments (`user_enrolments`, by the batchid index of the
 * enrolment migration). Upstream lists the users whose enrolment is active (or, on request, the
 * inactive ones: unenrolled users keep their row).
 */
import type { CassandraConnector } from '@lern/kit';
import { KEYSPACE } from './store.ts';

/** Who is in a batch. */
export interface ParticipantReader {
  /** User ids of the batch's enrolments that are active (or inactive when `active` is false), sorted. */
  participants(batchId: string, active: boolean): Promise<string[]>;
}

/** Reads participants from `user_enrolments`. */
export class EnrolmentParticipants implements ParticipantReader {
  private readonly db: CassandraConnector;

  constructor(db: CassandraConnector) {
    this.db = db;
  }

  async participants(batchId: string, active: boolean): Promise<string[]> {
    const users = new Set<string>();
    await this.db.eachRow(`SELECT userid, active FROM ${this.db.table(KEYSPACE, 'user_enrolments')} WHERE batchid = ?`, [batchId], (row) => {
      // Upstream treats a missing flag as inactive.
      if ((row.get('active') === true) === active) users.add(row.get('userid') as string);
    });
    return [...users].sort();
  }
}
