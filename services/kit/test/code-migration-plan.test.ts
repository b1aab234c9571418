import { describe, expect, it } from 'vitest';
import { checksum, parseMigrationFileName, planCassandra, type CassandraMigration } from '@lern/kit';

const cql = (version: number, text: string): CassandraMigration => ({
  component: 'userorg',
  keyspace: 'sunbird',
  version,
  name: `V${String(version).padStart(3, '0')}__x.cql`,
  checksum: checksum(text),
  statements: [text],
});
const code = (version: number, text: string): CassandraMigration => ({
  component: 'userorg',
  keyspace: 'sunbird',
  version,
  name: `V${String(version).padStart(3, '0')}__x.ts`,
  checksum: checksum(text),
  path: `/m/V${version}.ts`,
});

describe('code migrations in the plan', () => {
  it.each([
    ['V004__rehash_lookups.ts', { version: 4, description: 'rehash_lookups' }],
    ['V10__x.ts', { version: 10, description: 'x' }],
    ['V004__x.js', undefined],
    ['helpers.ts', undefined],
    ['V004_x.ts', undefined],
  ])('%s -> %j', (name, parsed) => expect(parseMigrationFileName(name)).toEqual(parsed));

  it('one version sequence for both kinds, applied in order', () => {
    const files = [cql(5, 'c;'), code(4, 'up'), cql(3, 'b;')];
    const plan = planCassandra(files, [{ component: 'userorg', version: 3, name: 'V003__x.cql', checksum: checksum('b;') }]);
    expect(plan.apply.map((f) => f.name)).toEqual(['V004__x.ts', 'V005__x.cql']);
    expect(plan.unchanged.map((f) => f.name)).toEqual(['V003__x.cql']);
    expect(plan.errors).toEqual([]);
  });

  it('a changed code file is an error, and so is a version taken by both kinds', () => {
    const applied = [{ component: 'userorg', version: 4, name: 'V004__x.ts', checksum: checksum('up') }];
    expect(planCassandra([code(4, 'up, edited')], applied).errors).toEqual([expect.stringMatching(/V004__x.ts in keyspace sunbird was changed after it was applied/)]);
    expect(planCassandra([cql(4, 'a;'), code(4, 'up')], []).errors).toEqual(['userorg: two files with version 4 in keyspace sunbird']);
  });
});
