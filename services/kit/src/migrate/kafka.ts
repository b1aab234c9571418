import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import kafkajs from 'kafkajs';
import { createKafka } from '../connectors/kafka.ts';
import type { Component } from './discover.ts';
import type { MigrationReport, MigrateOptions } from './cli.ts';

/** A topic as declared in topics.yaml (name without prefix). */
export interface TopicSpec {
  component: string;
  name: string;
  partitions: number;
  /** @default 1 */
  replicationFactor: number;
  /** Topic configs to enforce, including `retention.ms` from retentionMs. */
  config: Record<string, string>;
}

/** What exists for one (prefixed) topic. */
export interface ObservedTopic {
  partitions: number;
  replicationFactor: number;
  /** Current values of the configs the spec declares. */
  config: Record<string, string | undefined>;
}

/** One change to the topics. */
export type TopicAction =
  | { kind: 'create'; topic: string; partitions: number; replicationFactor: number; config: Record<string, string> }
  | { kind: 'partitions'; topic: string; from: number; to: number }
  | { kind: 'config'; topic: string; config: Record<string, string>; changed: string[] };

// kafkajs is CommonJS; Node's ESM loader does not see this export by name.
const { ConfigResourceTypes } = kafkajs;

const TOPIC_NAME = /^[A-Za-z0-9._-]+$/;

function wholeNumber(value: unknown, where: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new Error(`${where} must be a whole number >= ${min}`);
  return value;
}

/** Parses and checks one topics.yaml (pure). */
export function parseTopics(component: string, text: string): TopicSpec[] {
  const doc = parse(text) as { topics?: unknown } | null;
  const where = `${component}: kafka/topics.yaml`;
  if (!doc || !Array.isArray(doc.topics)) throw new Error(`${where}: expected "topics:" with a list`);
  return doc.topics.map((raw: unknown, i: number) => {
    const t = raw as { name?: unknown; partitions?: unknown; replicationFactor?: unknown; retentionMs?: unknown; config?: unknown };
    const at = `${where} topics[${i}]`;
    if (typeof t.name !== 'string' || !TOPIC_NAME.test(t.name)) throw new Error(`${at}.name must be letters, digits, ".", "_" or "-"`);
    const config: Record<string, string> = {};
    if (t.config !== undefined) {
      if (typeof t.config !== 'object' || t.config === null || Array.isArray(t.config)) throw new Error(`${at}.config must be a map`);
      for (const [k, v] of Object.entries(t.config)) {
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new Error(`${at}.config.${k} must be a string or number`);
        config[k] = String(v);
      }
    }
    if (t.retentionMs !== undefined) config['retention.ms'] = String(wholeNumber(t.retentionMs, `${at}.retentionMs (-1: keep forever)`, -1));
    return {
      component,
      name: t.name,
      partitions: wholeNumber(t.partitions, `${at}.partitions`, 1),
      replicationFactor: t.replicationFactor === undefined ? 1 : wholeNumber(t.replicationFactor, `${at}.replicationFactor`, 1),
      config,
    };
  });
}

/** Reads `<component>/migrations/kafka/topics.yaml`; the same topic in two components must agree. */
export async function readKafkaMigrations(components: readonly Component[]): Promise<TopicSpec[]> {
  const byName = new Map<string, TopicSpec>();
  for (const component of components) {
    let text: string;
    try {
      text = await readFile(join(component.dir, 'migrations', 'kafka', 'topics.yaml'), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    for (const spec of parseTopics(component.name, text)) {
      const other = byName.get(spec.name);
      if (other && JSON.stringify({ ...other, component: '' }) !== JSON.stringify({ ...spec, component: '' })) {
        throw new Error(`topic ${spec.name} is declared differently by ${other.component} and ${spec.component}`);
      }
      byName.set(spec.name, spec);
    }
  }
  return [...byName.values()];
}

/**
 * Decides the changes (pure): create missing topics, raise partition counts, set declared configs that
 * differ. Fewer partitions than exist is an error (Kafka cannot shrink a topic).
 */
export function planTopics(prefix: string, specs: readonly TopicSpec[], observed: ReadonlyMap<string, ObservedTopic>): { actions: TopicAction[]; warnings: string[] } {
  const actions: TopicAction[] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  for (const spec of specs) {
    const topic = `${prefix}${spec.name}`;
    const now = observed.get(topic);
    if (!now) {
      actions.push({ kind: 'create', topic, partitions: spec.partitions, replicationFactor: spec.replicationFactor, config: spec.config });
      continue;
    }
    if (spec.partitions < now.partitions) errors.push(`topic ${topic} has ${now.partitions} partitions; ${spec.component} declares ${spec.partitions} (Kafka cannot remove partitions)`);
    else if (spec.partitions > now.partitions) actions.push({ kind: 'partitions', topic, from: now.partitions, to: spec.partitions });
    if (spec.replicationFactor !== now.replicationFactor) {
      warnings.push(`topic ${topic} has replication factor ${now.replicationFactor}, declared ${spec.replicationFactor}; change it with a partition reassignment`);
    }
    const changed = Object.keys(spec.config).filter((k) => now.config[k] !== spec.config[k]);
    if (changed.length > 0) actions.push({ kind: 'config', topic, config: spec.config, changed });
  }
  if (errors.length > 0) throw new Error(errors.join('\n'));
  return { actions, warnings };
}

/** Creates missing topics, increases partitions and updates declared configs; idempotent. */
export async function migrateKafka(options: MigrateOptions): Promise<MigrationReport> {
  const log = options.log ?? (() => undefined);
  const specs = await readKafkaMigrations(options.components);
  const report: MigrationReport = { applied: [], unchanged: [] };
  if (specs.length === 0) return report;
  const kafka = createKafka(options.config.kafka, { clientId: 'lern-migrate' });
  try {
    const admin = await kafka.admin();
    const prefix = options.config.kafka.topicPrefix;
    const existing = new Set(await admin.listTopics());
    const present = specs.map((s) => `${prefix}${s.name}`).filter((t) => existing.has(t));
    const observed = new Map<string, ObservedTopic>();
    if (present.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: present });
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: present.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
      });
      for (const t of metadata.topics) {
        const entries = configs.resources.find((r) => r.resourceName === t.name)?.configEntries ?? [];
        observed.set(t.name, {
          partitions: t.partitions.length,
          replicationFactor: t.partitions[0]?.replicas.length ?? 0,
          config: Object.fromEntries(entries.map((e) => [e.configName, e.configValue])),
        });
      }
    }
    const { actions, warnings } = planTopics(prefix, specs, observed);
    for (const warning of warnings) log(`kafka: warning: ${warning}`);
    for (const action of actions) {
      switch (action.kind) {
        case 'create':
          await admin.createTopics({
            waitForLeaders: true,
            topics: [
              {
                topic: action.topic,
                numPartitions: action.partitions,
                replicationFactor: action.replicationFactor,
                configEntries: Object.entries(action.config).map(([name, value]) => ({ name, value })),
              },
            ],
          });
          log(`kafka: created ${action.topic} (${action.partitions} partitions)`);
          break;
        case 'partitions':
          await admin.createPartitions({ topicPartitions: [{ topic: action.topic, count: action.to }] });
          log(`kafka: ${action.topic} partitions ${action.from} -> ${action.to}`);
          break;
        case 'config':
          // AlterConfigs replaces a topic's dynamic configs: the declared set is the whole set.
          await admin.alterConfigs({
            validateOnly: false,
            resources: [{ type: ConfigResourceTypes.TOPIC, name: action.topic, configEntries: Object.entries(action.config).map(([name, value]) => ({ name, value })) }],
          });
          log(`kafka: ${action.topic} config ${action.changed.join(', ')} updated`);
          break;
      }
    }
    const touched = new Set(actions.map((a) => a.topic));
    for (const spec of specs) {
      const topic = `${prefix}${spec.name}`;
      (touched.has(topic) ? report.applied : report.unchanged).push(`${spec.component} ${topic}`);
    }
  } finally {
    await kafka.close();
  }
  return report;
}
