/**
 * The `user_roles` table (one row per user and role, its scope a JSON list of `{organisationId}`;
 * the kit reads the same rows to resolve callers) and the `role` table.
 */
import type { RoleGrant, RoleRecord } from '../records.ts';
import { json, str, type Cql, type Row } from './cql.ts';

/** Record of a `user_roles` row. */
export function rowToGrant(r: Row): RoleGrant {
  return {
    role: String(r.role),
    scope: json(r.scope, []),
    createdBy: str(r.createdby),
    createdDate: str(r.createddate),
    updatedBy: str(r.updatedby),
    updatedDate: str(r.updateddate),
  };
}

/** Grants of users and the roles that exist. */
export class RoleTables {
  private readonly cql: Cql;

  constructor(cql: Cql) {
    this.cql = cql;
  }

  async grants(userId: string): Promise<RoleGrant[]> {
    return (await this.cql.rows(`SELECT * FROM ${this.cql.table('user_roles')} WHERE userid = ?`, [userId])).map(rowToGrant);
  }

  async putGrant(userId: string, g: RoleGrant): Promise<void> {
    await this.cql.insert('user_roles', {
      userid: userId,
      role: g.role,
      scope: JSON.stringify(g.scope),
      createdby: g.createdBy ?? null,
      createddate: g.createdDate ?? null,
      updatedby: g.updatedBy ?? null,
      updateddate: g.updatedDate ?? null,
    });
  }

  async deleteGrant(userId: string, role: string): Promise<void> {
    await this.cql.run(`DELETE FROM ${this.cql.table('user_roles')} WHERE userid = ? AND role = ?`, [userId, role]);
  }

  async list(): Promise<RoleRecord[]> {
    return (await this.cql.rows(`SELECT * FROM ${this.cql.table('role')}`, [])).map((r) => ({
      id: String(r.id),
      name: str(r.name) ?? String(r.id),
      status: typeof r.status === 'number' ? r.status : 1,
      roleGroupId: Array.isArray(r.rolegroupid) ? (r.rolegroupid as string[]) : [],
    }));
  }
}
