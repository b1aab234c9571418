/** The `location` and `location_children` tables. */
import type { LocationRecord } from '../records.ts';
import { RecordTable, str, type Cql, type Row } from './cql.ts';

/** Record of a `location` row. */
export function rowToLocation(r: Row): LocationRecord {
  return {
    id: String(r.id),
    code: str(r.code) ?? '',
    name: str(r.name) ?? '',
    type: str(r.type) ?? '',
    parentId: str(r.parentid),
    createdBy: str(r.createdby),
    createdDate: str(r.createddate),
    updatedBy: str(r.updatedby),
    updatedDate: str(r.updateddate),
  };
}

/** Cassandra `location` row of a record. */
export function locationToRow(l: LocationRecord): Row {
  return {
    id: l.id,
    code: l.code,
    name: l.name,
    type: l.type,
    parentid: l.parentId,
    createdby: l.createdBy ?? null,
    createddate: l.createdDate ?? null,
    updatedby: l.updatedBy ?? null,
    updateddate: l.updatedDate ?? null,
  };
}

/** Locations and their parent -> children index. */
export class LocationTables extends RecordTable<LocationRecord> {
  constructor(cql: Cql) {
    super(cql, 'location', locationToRow, rowToLocation);
  }

  async delete(id: string): Promise<void> {
    await this.cql.run(`DELETE FROM ${this.cql.table('location')} WHERE id = ?`, [id]);
  }

  async addChild(parentId: string, id: string): Promise<void> {
    await this.cql.run(`INSERT INTO ${this.cql.table('location_children')} (parentid, id) VALUES (?, ?)`, [parentId, id]);
  }

  async removeChild(parentId: string, id: string): Promise<void> {
    await this.cql.run(`DELETE FROM ${this.cql.table('location_children')} WHERE parentid = ? AND id = ?`, [parentId, id]);
  }

  async hasChildren(parentId: string): Promise<boolean> {
    return (await this.cql.one(`SELECT id FROM ${this.cql.table('location_children')} WHERE parentid = ? LIMIT 1`, [parentId])) !== null;
  }
}
