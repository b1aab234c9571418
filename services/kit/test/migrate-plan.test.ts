import { describe, expect, it } from 'vitest';
import { splitCql, checksum, parseMigrationFileName, planCassandra, planIndex, planTopics, type CqlMigration, type TopicSpec } from '@lern/kit';

const file = (version: number, text: string, component = 'userorg'): CqlMigration => ({
  component,
  keyspace: 'sunbird',
  version,
  name: `V${String(version).padStart(3, '0')}__x.cql`,
  checksum: checksum(text),
  statements: splitCql(text),
});

describe('CQL files', () => {
  it('splits statements outside strings and comments', () => {
    const text = `-- header
CREATE TABLE IF NOT EXISTS a (id text PRIMARY KEY, note text); /* block; comment */
INSERT INTO a (id, note) VALUES ('x', 'semi;colon ''quoted''');
// other comment
CREATE TABLE IF NOT EXISTS "b;c" (id text PRIMARY KEY)
`;
    expect(splitCql(text)).toEqual([
      'CREATE TABLE IF NOT EXISTS a (id text PRIMARY KEY, note text)',
      "INSERT INTO a (id, note) VALUES ('x', 'semi;colon ''quoted''')",
      'CREATE TABLE IF NOT EXISTS "b;c" (id text PRIMARY KEY)',
    ]);
    expect(() => splitCql("INSERT INTO a VALUES ('x)")).toThrow(/unterminated string/);
  });
  it('checksums ignore line-ending style only', () => {
    expect(checksum('a;\r\nb;')).toBe(checksum('a;\nb;'));
    expect(checksum('a;\nb;')).not.toBe(checksum('a;\nb; '));
  });
  it('parses V<NNN>__<what>.cql', () => {
    expect(parseMigrationFileName('V001__create_user.cql')).toEqual({ version: 1, description: 'create_user' });
    expect(parseMigrationFileName('V12__x.cql')).toEqual({ version: 12, description: 'x' });
    expect(parseMigrationFileName('create.cql')).toBeUndefined();
    expect(parseMigrationFileName('V1_x.cql')).toBeUndefined();
  });
});

describe('planCassandra', () => {
  it('applies new files in version order and skips applied ones', () => {
    const f1 = file(1, 'CREATE TABLE a (id text PRIMARY KEY);');
    const f2 = file(2, 'ALTER TABLE a ADD b text;');
    const plan = planCassandra([f2, f1], [{ component: 'userorg', version: 1, name: f1.name, checksum: f1.checksum }]);
    expect(plan.apply.map((f) => f.version)).toEqual([2]);
    expect(plan.unchanged.map((f) => f.version)).toEqual([1]);
    expect(plan.errors).toEqual([]);
  });
  it('a changed applied file is an error', () => {
    const f1 = file(1, 'CREATE TABLE a (id text PRIMARY KEY, x int);');
    const plan = planCassandra([f1], [{ component: 'userorg', version: 1, name: f1.name, checksum: checksum('other') }]);
    expect(plan.errors).toHaveLength(1);
    expect(plan.errors[0]).toMatch(/V001__x.cql in keyspace sunbird was changed after it was applied/);
  });
  it('versions are per component; duplicates within one are errors; a vanished file warns', () => {
    const plan = planCassandra([file(1, 'a;'), file(1, 'b;', 'lms'), file(2, 'c;'), file(2, 'd;')], [{ component: 'userorg', version: 9, name: 'V009__gone.cql', checksum: 'x' }]);
    expect(plan.apply.map((f) => `${f.component}:${f.version}`)).toEqual(['lms:1', 'userorg:1', 'userorg:2']);
    expect(plan.errors).toEqual(['userorg: two files with version 2 in keyspace sunbird']);
    expect(plan.warnings).toEqual(['userorg: applied version 9 (V009__gone.cql) has no file any more']);
  });
});

describe('planIndex', () => {
  const desired = { version: 2, checksum: 'c2' };
  it('fresh: create and point the alias', () => {
    expect(planIndex('t-user', desired, { aliasTargets: [], concreteIndexNamedLikeAlias: false })).toEqual([
      { kind: 'create', index: 't-user_v2' },
      { kind: 'alias', alias: 't-user', add: 't-user_v2' },
    ]);
  });
  it('up to date: nothing', () => {
    expect(planIndex('t-user', desired, { aliasTargets: ['t-user_v2'], concreteIndexNamedLikeAlias: false, target: { version: 2, checksum: 'c2' } })).toEqual([]);
  });
  it('new version: create, reindex, move the alias atomically', () => {
    expect(planIndex('t-user', desired, { aliasTargets: ['t-user_v1'], concreteIndexNamedLikeAlias: false })).toEqual([
      { kind: 'create', index: 't-user_v2' },
      { kind: 'reindex', from: 't-user_v1', to: 't-user_v2' },
      { kind: 'alias', alias: 't-user', remove: 't-user_v1', add: 't-user_v2' },
    ]);
  });
  it('interrupted run: the new index exists, alias not moved yet', () => {
    expect(planIndex('t-user', desired, { aliasTargets: ['t-user_v1'], concreteIndexNamedLikeAlias: false, target: { version: 2, checksum: 'c2' } })).toEqual([
      { kind: 'reindex', from: 't-user_v1', to: 't-user_v2' },
      { kind: 'alias', alias: 't-user', remove: 't-user_v1', add: 't-user_v2' },
    ]);
  });
  it('errors: changed content, newer live version, concrete index, several targets', () => {
    expect(() => planIndex('t-user', desired, { aliasTargets: ['t-user_v2'], concreteIndexNamedLikeAlias: false, target: { version: 2, checksum: 'old' } })).toThrow(/give the change a new version/);
    expect(() => planIndex('t-user', desired, { aliasTargets: ['t-user_v3'], concreteIndexNamedLikeAlias: false })).toThrow(/newer than version 2/);
    expect(() => planIndex('t-user', desired, { aliasTargets: [], concreteIndexNamedLikeAlias: true })).toThrow(/an index named t-user exists/);
    expect(() => planIndex('t-user', desired, { aliasTargets: ['a', 'b'], concreteIndexNamedLikeAlias: false })).toThrow(/several indices/);
  });
});

describe('planTopics', () => {
  const spec: TopicSpec = { component: 'userorg', name: 'user.events', partitions: 4, replicationFactor: 1, config: { 'retention.ms': '604800000' } };
  it('creates a missing topic', () => {
    expect(planTopics('dev.', [spec], new Map()).actions).toEqual([
      { kind: 'create', topic: 'dev.user.events', partitions: 4, replicationFactor: 1, config: { 'retention.ms': '604800000' } },
    ]);
  });
  it('nothing when it matches', () => {
    expect(planTopics('dev.', [spec], new Map([['dev.user.events', { partitions: 4, replicationFactor: 1, config: { 'retention.ms': '604800000' } }]])).actions).toEqual([]);
  });
  it('raises partitions and updates configs', () => {
    const { actions } = planTopics('dev.', [spec], new Map([['dev.user.events', { partitions: 2, replicationFactor: 1, config: { 'retention.ms': '1000' } }]]));
    expect(actions).toEqual([
      { kind: 'partitions', topic: 'dev.user.events', from: 2, to: 4 },
      { kind: 'config', topic: 'dev.user.events', config: { 'retention.ms': '604800000' }, changed: ['retention.ms'] },
    ]);
  });
  it('refuses to shrink, warns on replication factor', () => {
    expect(() => planTopics('dev.', [spec], new Map([['dev.user.events', { partitions: 8, replicationFactor: 1, config: {} }]]))).toThrow(/cannot remove partitions/);
    expect(planTopics('dev.', [spec], new Map([['dev.user.events', { partitions: 4, replicationFactor: 3, config: { 'retention.ms': '604800000' } }]])).warnings[0]).toMatch(/replication factor 3/);
  });
});
