/** Kubernetes resource quantities, enough to compare and canonicalise CPU and memory values. */

const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** The numeric value of a quantity ("250m" -> 0.25, "1Gi" -> 1073741824), or undefined when it is not one. */
export function parseQuantity(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const match = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(value.trim());
  if (!match) return undefined;
  const factor = SUFFIX[match[2] ?? ''];
  return factor === undefined ? undefined : Number(match[1]) * factor;
}

/** A quantity as the API server would store it, as a string (numbers become strings). */
export function quantityString(value: string | number): string {
  return typeof value === 'number' ? String(value) : value;
}
