/**
 * `sunbird_courses.course_structure` (the only CQL of course structures): one row per course with
 * its leaf nodes, each unit's leaf nodes and each leaf's ancestors, written whole (a newer hierarchy
 * replaces every collection of the row, so contents taken out of a course disappear).
 */
import type { CassandraConnector } from '@lern/kit';
import { KEYSPACE } from '../batches/store.ts';
import type { CourseStructure } from './hierarchy.ts';

/** Where a structure was learnt. */
export type StructureSource = 'content-platform' | 'api';

/** A stored structure with its provenance. */
export interface StoredStructure extends CourseStructure {
  source: StructureSource;
  updatedBy: string | null;
  updatedAt: Date;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function lists(v: unknown): Record<string, string[]> {
  if (typeof v !== 'object' || v === null) return {};
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, list]) => [k, Array.isArray(list) ? (list as string[]).slice() : []]));
}

/** Reads and writes course structures. */
export class CourseStructureStore {
  private readonly db: CassandraConnector;
  private readonly table: string;

  constructor(db: CassandraConnector) {
    this.db = db;
    this.table = db.table(KEYSPACE, 'course_structure');
  }

  /** The stored structure of a course; null when none was learnt. */
  async get(courseId: string): Promise<StoredStructure | null> {
    const row = (await this.db.execute(`SELECT * FROM ${this.table} WHERE courseid = ?`, [courseId])).first();
    if (!row) return null;
    const version = row.get('pkgversion') as number | null;
    const leafNodes = row.get('leafnodes') as string[] | null;
    return {
      courseId,
      name: text(row.get('name')),
      channel: text(row.get('channel')),
      status: text(row.get('status')),
      pkgVersion: typeof version === 'number' ? version : null,
      leafNodes: leafNodes ? [...leafNodes].sort() : [],
      unitLeafNodes: lists(row.get('unit_leafnodes')),
      ancestors: lists(row.get('ancestors')),
      source: row.get('source') === 'api' ? 'api' : 'content-platform',
      updatedBy: text(row.get('updated_by')),
      updatedAt: (row.get('updated_at') as Date | null) ?? new Date(0),
    };
  }

  /** Writes a course's whole structure (replacing what was stored). */
  async save(s: StoredStructure): Promise<void> {
    await this.db.execute(
      `INSERT INTO ${this.table} (courseid, name, channel, status, pkgversion, leafnodes, unit_leafnodes, ancestors, source, updated_by, updated_at) ` +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [s.courseId, s.name, s.channel, s.status, s.pkgVersion, s.leafNodes, s.unitLeafNodes, s.ancestors, s.source, s.updatedBy, s.updatedAt],
    );
  }
}
