/** The `system_settings` and `tenant_preference_v2` tables. */
import type { PreferenceRecord, SettingRecord } from '../records.ts';
import { RecordTable, str, type Cql, type Row } from './cql.ts';

const toSetting = (r: Row): SettingRecord => ({ id: String(r.id), field: str(r.field) ?? String(r.id), value: str(r.value) ?? '' });

const toPreference = (r: Row): PreferenceRecord => ({
  orgId: String(r.orgid),
  key: String(r.key),
  data: str(r.data) ?? '',
  createdBy: str(r.createdby),
  createdOn: r.createdon instanceof Date ? r.createdon : null,
  updatedBy: str(r.updatedby),
  updatedOn: r.updatedon instanceof Date ? r.updatedon : null,
});

/** System settings and tenant preferences. */
export class SettingTables {
  private readonly cql: Cql;
  private readonly settings: RecordTable<SettingRecord>;

  constructor(cql: Cql) {
    this.cql = cql;
    this.settings = new RecordTable(cql, 'system_settings', (s) => ({ id: s.id, field: s.field, value: s.value }), toSetting);
  }

  getSetting(id: string): Promise<SettingRecord | null> {
    return this.settings.get(id);
  }

  async listSettings(): Promise<SettingRecord[]> {
    return (await this.cql.rows(`SELECT * FROM ${this.cql.table('system_settings')}`, [])).map(toSetting);
  }

  putSetting(s: SettingRecord): Promise<void> {
    return this.settings.put(s);
  }

  async getPreference(orgId: string, key: string): Promise<PreferenceRecord | null> {
    const r = await this.cql.one(`SELECT * FROM ${this.cql.table('tenant_preference_v2')} WHERE orgid = ? AND key = ?`, [orgId, key]);
    return r ? toPreference(r) : null;
  }

  /** Inserts a preference only when absent; false when it exists. */
  async createPreference(orgId: string, key: string, data: string, by: string | null): Promise<boolean> {
    const row = await this.cql.conditional(
      `INSERT INTO ${this.cql.table('tenant_preference_v2')} (orgid, key, data, createdby, createdon) VALUES (?, ?, ?, ?, ?) IF NOT EXISTS`,
      [orgId, key, data, by, new Date()],
    );
    return row['[applied]'] === true;
  }

  async updatePreference(orgId: string, key: string, data: string, by: string | null): Promise<void> {
    await this.cql.run(`UPDATE ${this.cql.table('tenant_preference_v2')} SET data = ?, updatedby = ?, updatedon = ? WHERE orgid = ? AND key = ?`, [
      data,
      by,
      new Date(),
      orgId,
      key,
    ]);
  }
}
