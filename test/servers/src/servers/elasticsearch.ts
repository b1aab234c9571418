import type { ServerDefinition } from '../types.ts';

// Placeholder until its definition lands; `lern servers up --only elasticsearch` says so instead of pretending.
export const elasticsearch: ServerDefinition = {
  name: 'elasticsearch',
  version: 'unavailable',
  obtain: () => Promise.reject(new Error('elasticsearch: not implemented yet')),
  start: () => Promise.reject(new Error('elasticsearch: not implemented yet')),
  probe: () => Promise.resolve(false),
  env: () => ({}),
};
