import type { ServerDefinition } from '../types.ts';

// Placeholder until its definition lands; `lern servers up --only kubernetes` says so instead of pretending.
export const kubernetes: ServerDefinition = {
  name: 'kubernetes',
  version: 'unavailable',
  obtain: () => Promise.reject(new Error('kubernetes: not implemented yet')),
  start: () => Promise.reject(new Error('kubernetes: not implemented yet')),
  probe: () => Promise.resolve(false),
  env: () => ({}),
};
