/** The only CQL of the templates: `notification_template` and `action_template`. */
import type { CassandraConnector } from '@lern/kit';
import { KEYSPACE } from '../feed/store.ts';
import type { StoredTemplate } from '../send/operations.ts';
import type { ActionMapping, TemplateRecord } from './operations.ts';

export class TemplateStore {
  private readonly templates: string;
  private readonly actions: string;

  private readonly db: CassandraConnector;

  constructor(db: CassandraConnector) {
    this.db = db;
    this.templates = db.table(KEYSPACE, 'notification_template');
    this.actions = db.table(KEYSPACE, 'action_template');
  }

  /** The template mapped to an action type, or null when none is. */
  async forAction(action: string): Promise<StoredTemplate | null> {
    const mapped = (await this.db.execute(`SELECT templateid FROM ${this.actions} WHERE action = ?`, [action])).first();
    const templateId = mapped?.get('templateid') as string | null | undefined;
    if (!templateId) return null;
    const row = (await this.db.execute(`SELECT data, type, ver FROM ${this.templates} WHERE templateid = ?`, [templateId])).first();
    if (!row) return null;
    return { data: (row.get('data') as string | null) ?? '', type: (row.get('type') as string | null) ?? 'JSON', ver: (row.get('ver') as string | null) ?? null };
  }

  /** Every template (a small, installation-wide table). */
  async list(): Promise<TemplateRecord[]> {
    const rows: TemplateRecord[] = [];
    await this.db.eachRow(`SELECT * FROM ${this.templates}`, [], (r) => void rows.push(toRecord(r)));
    return rows;
  }

  async get(templateId: string): Promise<TemplateRecord | null> {
    const row = (await this.db.execute(`SELECT * FROM ${this.templates} WHERE templateid = ?`, [templateId])).first();
    return row ? toRecord(row) : null;
  }

  /** Stores a template (create or full update). */
  async put(t: TemplateRecord): Promise<void> {
    await this.db.execute(
      `INSERT INTO ${this.templates} (templateid, data, template_schema, type, ver, config, createdby, createdon, lastupdatedby, lastupdatedon) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [t.templateId, t.data, t.template_schema, t.type, t.ver, t.config, t.createdBy, t.createdOn, t.lastUpdatedBy, t.lastUpdatedOn],
      { prepare: true },
    );
  }

  async remove(templateId: string): Promise<void> {
    await this.db.execute(`DELETE FROM ${this.templates} WHERE templateid = ?`, [templateId], { prepare: true });
  }

  async mapping(action: string): Promise<ActionMapping | null> {
    const row = (await this.db.execute(`SELECT action, templateid, type FROM ${this.actions} WHERE action = ?`, [action])).first();
    return row ? { action: row.get('action') as string, templateId: row.get('templateid') as string, type: (row.get('type') as string | null) ?? null } : null;
  }

  async putMapping(m: ActionMapping, by: string, at: Date): Promise<void> {
    await this.db.execute(
      `INSERT INTO ${this.actions} (action, templateid, type, lastupdatedby, lastupdatedon) VALUES (?, ?, ?, ?, ?)`,
      [m.action, m.templateId, m.type, by, at],
      { prepare: true },
    );
  }
}

type Row = { get(name: string): unknown };

function toRecord(r: Row): TemplateRecord {
  const date = (v: unknown) => (v instanceof Date ? v : null);
  return {
    templateId: r.get('templateid') as string,
    data: (r.get('data') as string | null) ?? '',
    template_schema: (r.get('template_schema') as string | null) ?? null,
    type: (r.get('type') as string | null) ?? '',
    ver: (r.get('ver') as string | null) ?? null,
    config: (r.get('config') as Record<string, string> | null) ?? null,
    createdBy: (r.get('createdby') as string | null) ?? null,
    createdOn: date(r.get('createdon')),
    lastUpdatedBy: (r.get('lastupdatedby') as string | null) ?? null,
    lastUpdatedOn: date(r.get('lastupdatedon')),
  };
}
