import type { ServerDefinition } from '../types.ts';

// Placeholder until its definition lands; `lern servers up --only cassandra` says so instead of pretending.
export const cassandra: ServerDefinition = {
  name: 'cassandra',
  version: 'unavailable',
  obtain: () => Promise.reject(new Error('cassandra: not implemented yet')),
  start: () => Promise.reject(new Error('cassandra: not implemented yet')),
  probe: () => Promise.resolve(false),
  env: () => ({}),
};
