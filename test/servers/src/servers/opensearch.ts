import type { ServerDefinition } from '../types.ts';

// Placeholder until its definition lands; `lern servers up --only opensearch` says so instead of pretending.
export const opensearch: ServerDefinition = {
  name: 'opensearch',
  version: 'unavailable',
  obtain: () => Promise.reject(new Error('opensearch: not implemented yet')),
  start: () => Promise.reject(new Error('opensearch: not implemented yet')),
  probe: () => Promise.resolve(false),
  env: () => ({}),
};
