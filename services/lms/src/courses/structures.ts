/**
 * Course structures for the rest of the service (batch creation checks a course exists; progress
 * computes completion against the leaf nodes): reads through the Redis map `course-structure`, and
 * writes that keep a newer package version from being replaced by an older one.
 */
import type { LmsCache } from '../cache.ts';
import { replacesStored, type CourseStructure } from './hierarchy.ts';
import type { CourseStructureStore, StoredStructure, StructureSource } from './store.ts';

/** Seconds a cached structure lives (writes drop it at once). */
export const STRUCTURE_CACHE_TTL_SECONDS = 3600;

/** Publication states of a course that batches may be created for (upstream: Live, Unlisted). */
export const BATCHABLE_STATUSES: readonly string[] = ['Live', 'Unlisted'];

/** Stored course structures. */
export class CourseStructures {
  private readonly store: CourseStructureStore;
  private readonly cache: LmsCache;
  private readonly now: () => Date;

  constructor(store: CourseStructureStore, cache: LmsCache, now: () => Date = () => new Date()) {
    this.store = store;
    this.cache = cache;
    this.now = now;
  }

  /** The structure of a course (cached); null when none was learnt. */
  async get(courseId: string): Promise<StoredStructure | null> {
    const cached = await this.cache.get<StoredStructure & { updatedAt: string }>('course-structure', courseId);
    if (cached) return { ...cached, updatedAt: new Date(cached.updatedAt) };
    const stored = await this.store.get(courseId);
    if (stored) await this.cache.set('course-structure', courseId, stored, STRUCTURE_CACHE_TTL_SECONDS);
    return stored;
  }

  /**
   * Stores a learnt structure unless a newer package version is stored; true when written. Reads the
   * store, not the cache, to decide.
   */
  async apply(structure: CourseStructure, source: StructureSource, by: string | null): Promise<boolean> {
    const stored = await this.store.get(structure.courseId);
    if (!replacesStored(stored, structure)) return false;
    await this.store.save({ ...structure, source, updatedBy: by, updatedAt: this.now() });
    await this.cache.drop('course-structure', structure.courseId);
    return true;
  }
}

/** True when batches may be created for a course in this publication state (no state: registered by hand). */
export function isBatchable(structure: Pick<CourseStructure, 'status'>): boolean {
  return structure.status === null || BATCHABLE_STATUSES.includes(structure.status);
}
