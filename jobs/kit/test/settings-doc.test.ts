import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JOB_VARIABLES } from '../src/settings.ts';

describe('docs/configuration.md', () => {
  it('lists every LERN_JOB_* variable with its default', () => {
    const doc = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
    for (const v of JOB_VARIABLES) expect(doc).toContain(`| \`${v.name}\` | \`${v.default}\` |`);
  });
});
