/**
 * The service's one store layer: every Cassandra query of User-Org (keyspace `sunbird`), by table
 * group. Reads return records or null.
 */
import type { CassandraConnector } from '@lern/kit';
import type { PiiCipher } from '../pii.ts';
import { Cql } from './cql.ts';
import { LocationTables } from './locations.ts';
import { OrgTable } from './orgs.ts';
import { RoleTables } from './roles.ts';
import { SettingTables } from './settings.ts';
import { UniqueTables } from './unique.ts';
import { UserTables } from './users.ts';

/** Every table group of the service over one Cassandra connector. */
export class UserOrgStore {
  readonly db: CassandraConnector;
  readonly users: UserTables;
  readonly roles: RoleTables;
  readonly orgs: OrgTable;
  readonly locations: LocationTables;
  readonly settings: SettingTables;
  readonly unique: UniqueTables;

  constructor(db: CassandraConnector, cipher: PiiCipher) {
    const cql = new Cql(db);
    this.db = db;
    this.users = new UserTables(cql, cipher);
    this.roles = new RoleTables(cql);
    this.orgs = new OrgTable(cql);
    this.locations = new LocationTables(cql);
    this.settings = new SettingTables(cql);
    this.unique = new UniqueTables(cql, cipher);
  }
}

export { channelValue, orgExternalIdValue, locationCodeValue } from './unique.ts';
export type { ExternalIdentity } from './users.ts';
