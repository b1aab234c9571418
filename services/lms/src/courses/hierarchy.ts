/**
 * A course's structure from its hierarchy (pure). The hierarchy is the content platform's document
 * of a published collection (as stored in its `hierarchy_store.content_hierarchy`): nested nodes with
 * `identifier`, `mimeType` and `children`. Nodes whose mimeType is the collection type (or that have a
 * `children` list and no mimeType) are units; every other node is a leaf content. From it, as
 * upstream's relation-cache-updater job computes them:
 * - the course's leaf nodes (distinct content ids under it; a content used twice counts once);
 * - each unit's leaf nodes;
 * - each leaf's ancestors, nearest unit first and the course last (merged when it appears twice).
 */
import { MAX_ID } from '../schemas.ts';

/** The collection mimeType of the Sunbird content platform. */
export const COLLECTION_MIME_TYPE = 'application/vnd.ekstep.content-collection';
/** Deepest nesting accepted (the course is level 1). */
export const MAX_DEPTH = 8;
/** Most nodes a hierarchy may have. */
export const MAX_NODES = 5000;

const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

/** A node of a hierarchy document. */
export interface HierarchyNode {
  identifier: string;
  mimeType?: string;
  name?: string;
  children?: HierarchyNode[] | null;
}

/** What is learnt of a course. */
export interface CourseStructure {
  courseId: string;
  name: string | null;
  /** The channel (root organisation) that published it. */
  channel: string | null;
  /** Publication status (`Live`, `Unlisted`, ...). */
  status: string | null;
  /** The content platform's package version; a lower one never replaces a higher one. */
  pkgVersion: number | null;
  leafNodes: string[];
  unitLeafNodes: Record<string, string[]>;
  ancestors: Record<string, string[]>;
}

/** Details that come with the hierarchy (the event's edata, or the request). */
export interface StructureMeta {
  name?: string | null;
  channel?: string | null;
  status?: string | null;
  pkgVersion?: number | null;
}

/** Parsing outcome. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isUnit(node: Record<string, unknown>): boolean {
  const mime = node.mimeType;
  if (typeof mime === 'string' && mime !== '') return mime.toLowerCase() === COLLECTION_MIME_TYPE;
  return Array.isArray(node.children);
}

function addDistinct(list: string[], items: readonly string[]): void {
  for (const item of items) if (!list.includes(item)) list.push(item);
}

/** Walks the tree; throws a message on the first malformed node. */
function walk(root: Record<string, unknown>): { leaves: Set<string>; units: Map<string, Set<string>>; ancestors: Map<string, string[]> } {
  const leaves = new Set<string>();
  const units = new Map<string, Set<string>>();
  const ancestors = new Map<string, string[]>();
  let count = 0;
  const visit = (node: unknown, path: string[], where: string): void => {
    if (!isObject(node)) throw new Error(`${where} is not an object`);
    if (++count > MAX_NODES) throw new Error(`the hierarchy has more than ${MAX_NODES} nodes`);
    const id = node.identifier;
    if (typeof id !== 'string' || id.length > MAX_ID || !ID.test(id)) throw new Error(`${where}.identifier is missing or not a valid identifier`);
    if (path.length >= MAX_DEPTH) throw new Error(`the hierarchy is deeper than ${MAX_DEPTH} levels`);
    if (path.length > 0 && !isUnit(node)) {
      leaves.add(id);
      const line = [...path].reverse();
      const known = ancestors.get(id);
      if (known) addDistinct(known, line);
      else ancestors.set(id, line);
      for (const unit of path.slice(1)) units.get(unit)!.add(id);
      return;
    }
    if (path.length > 0 && !units.has(id)) units.set(id, new Set());
    const children = node.children ?? [];
    if (!Array.isArray(children)) throw new Error(`${where}.children is not a list`);
    children.forEach((child, i) => visit(child, [...path, id], `${where}.children[${i}]`));
  };
  visit(root, [], 'hierarchy');
  return { leaves, units, ancestors };
}

/** The structure of the course whose hierarchy document is `root`. */
export function parseHierarchy(root: unknown, meta: StructureMeta = {}): Parsed<CourseStructure> {
  if (!isObject(root)) return { ok: false, error: 'hierarchy is not an object' };
  const mime = root.mimeType;
  if (typeof mime === 'string' && mime !== '' && mime.toLowerCase() !== COLLECTION_MIME_TYPE) {
    return { ok: false, error: `hierarchy is not a collection (mimeType ${mime})` };
  }
  try {
    const { leaves, units, ancestors } = walk(root);
    const sorted = (s: Iterable<string>) => [...s].sort();
    const rootName = typeof root.name === 'string' && root.name !== '' ? root.name : null;
    return {
      ok: true,
      value: {
        courseId: root.identifier as string,
        name: meta.name ?? rootName,
        channel: meta.channel ?? null,
        status: meta.status ?? null,
        pkgVersion: meta.pkgVersion ?? null,
        leafNodes: sorted(leaves),
        unitLeafNodes: Object.fromEntries([...units].map(([unit, set]) => [unit, sorted(set)])),
        ancestors: Object.fromEntries([...ancestors].sort(([a], [b]) => a.localeCompare(b))),
      },
    };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Whether a newly learnt structure replaces the stored one: always when nothing is stored or either
 * side has no package version; otherwise only when it is not older (a replay of the same version
 * writes the same again).
 */
export function replacesStored(stored: Pick<CourseStructure, 'pkgVersion'> | null, incoming: Pick<CourseStructure, 'pkgVersion'>): boolean {
  if (stored === null || stored.pkgVersion === null || incoming.pkgVersion === null) return true;
  return incoming.pkgVersion >= stored.pkgVersion;
}
