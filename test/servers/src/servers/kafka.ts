import type { ServerDefinition } from '../types.ts';

// Placeholder until its definition lands; `lern servers up --only kafka` says so instead of pretending.
export const kafka: ServerDefinition = {
  name: 'kafka',
  version: 'unavailable',
  obtain: () => Promise.reject(new Error('kafka: not implemented yet')),
  start: () => Promise.reject(new Error('kafka: not implemented yet')),
  probe: () => Promise.resolve(false),
  env: () => ({}),
};
