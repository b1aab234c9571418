/**
 * Does an object in the cluster carry everything the operator rendered? Pure.
 * The comparison is a subset check: fields the API server defaults or other managers own are
 * ignored; lists of named items match by name (as server-side apply merges them), other lists
 * must match exactly; resource quantities compare by value ("1Gi" equals "1024Mi").
 */
import { parseQuantity } from '../render/quantity.ts';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const isEmpty = (v: unknown): boolean => (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);

/** Paths whose string values are resource quantities. */
const QUANTITY_PATH = /\.resources\.(requests|limits)\.[a-z-]+$/;

/** The first path where `actual` lacks or contradicts `desired`, or undefined when it carries all of it. */
export function firstDifference(desired: unknown, actual: unknown, path = ''): string | undefined {
  if (desired === undefined) return undefined;
  if (actual === undefined || actual === null) return isEmpty(desired) ? undefined : path || '.';
  if (Array.isArray(desired)) {
    if (!Array.isArray(actual)) return path;
    const named = desired.every((d) => isObject(d) && typeof d.name === 'string');
    if (named) {
      for (const d of desired as Record<string, unknown>[]) {
        const a = (actual as unknown[]).find((x) => isObject(x) && x.name === d.name);
        const diff = firstDifference(d, a, `${path}[${String(d.name)}]`);
        if (diff !== undefined) return diff;
      }
      return undefined;
    }
    if (desired.length !== actual.length) return path;
    for (let i = 0; i < desired.length; i++) {
      const diff = firstDifference(desired[i], actual[i], `${path}[${i}]`);
      if (diff !== undefined) return diff;
    }
    return undefined;
  }
  if (isObject(desired)) {
    if (!isObject(actual)) return path;
    for (const [k, v] of Object.entries(desired)) {
      const diff = firstDifference(v, actual[k], `${path}.${k}`);
      if (diff !== undefined) return diff;
    }
    return undefined;
  }
  if (QUANTITY_PATH.test(path) && (typeof desired === 'string' || typeof desired === 'number') && (typeof actual === 'string' || typeof actual === 'number')) {
    const a = parseQuantity(desired);
    const b = parseQuantity(actual);
    if (a !== undefined && b !== undefined) return Math.abs(a - b) < 1e-9 ? undefined : path;
  }
  return desired === actual ? undefined : path;
}
