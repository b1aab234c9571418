/**
 * Runs a job as a process: configuration from the environment (the service kit's LernConfig plus
 * LERN_JOB_*), the declared connectors, the consumer group, the probe server on LERN_HTTP_PORT, and
 * a graceful stop on SIGTERM/SIGINT bounded by LERN_SHUTDOWN_DEADLINE_MS.
 */
import { closeConnectors, connectorEntries, createConnectors, loadConfig, requireConfig, type Connectors, type Env, type KafkaConnector } from '@lern/kit';
import { pino, type Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createDeadLetterProducer, createKafkaSource, isMember, type Membership } from './consumer.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './decide.ts';
import { DEAD_LETTER_HEADERS, deadLetterTopic, type DeadLetter } from './dead-letter.ts';
import { createDeduplicator } from './dedup.ts';
import type { Job } from './define.ts';
import { createJobMetrics } from './metrics.ts';
import { processBatch } from './partition.ts';
import { startProbeServer } from './http.ts';
import { loadJobSettings } from './settings.ts';

/** Options of runJob (tests run jobs in-process with these). */
export interface RunJobOptions {
  /** Connectors made by the caller; the job does not close them. Missing ones are created from the configuration. */
  connectors?: Connectors;
  /** Address of the probe server. @default '0.0.0.0' */
  host?: string;
  /** Port of the probe server; 0 picks a free one. @default LERN_HTTP_PORT */
  port?: number;
  /** Stop gracefully on SIGTERM and SIGINT. @default true */
  signals?: boolean;
  /** Ends the process after a failed or overdue stop. @default process.exit */
  exit?: (code: number) => void;
  logger?: Logger;
}

/** A running job. */
export interface RunningJob {
  /** Base URL of the probe server. */
  url: string;
  groupId: string;
  metrics: Registry;
  membership(): Membership;
  /** Stops like SIGTERM does: in-flight events finish, resolved offsets are committed, the group is left. */
  stop(): Promise<void>;
  /** Settles once the job has stopped. */
  closed: Promise<void>;
}

/**
 * Fails with the names to migrate when an input topic or its dead-letter topic is missing: a
 * missing dead-letter topic would otherwise only show when the first poison event stalls its
 * partition.
 */
async function requireTopics(kafka: KafkaConnector, topics: readonly string[]): Promise<void> {
  const existing = new Set(await (await kafka.admin()).listTopics());
  const missing = topics.flatMap((t) => [t, deadLetterTopic(t)]).map((t) => kafka.topic(t)).filter((t) => !existing.has(t));
  if (missing.length > 0) throw new Error(`missing Kafka topics ${missing.join(', ')} (run \`lern migrate kafka\`)`);
}

/** Starts the job; resolves once it has joined its consumer group and the probe server listens. */
export async function runJob(job: Job, env: Env = process.env, options: RunJobOptions = {}): Promise<RunningJob> {
  const config = loadConfig(env);
  const settings = loadJobSettings(env);
  requireConfig(config, job.connectors);
  const log = options.logger ?? pino({ level: config.logLevel, base: { job: job.name } });
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const given = options.connectors ?? {};
  const missing = job.connectors.filter((name) => given[name] === undefined);
  const owned = createConnectors(config, missing, { clientId: `lern-${job.name}` });
  const connectors: Connectors = { ...given, ...owned };
  const metrics = createJobMetrics(job.name);
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...job.retry, ...settings.retry };
  const groupId = settings.groupId ?? `${config.kafka.topicPrefix}${job.name}`;
  const redis = connectors.redis?.client;
  const dedup = redis ? createDeduplicator(redis, { namespace: job.name, ttlSeconds: settings.dedupTtlSeconds }) : null;
  const kafka = connectors.kafka!;

  let fatal: (error: Error) => void = () => undefined;
  const source = createKafkaSource({
    kafka,
    groupId,
    topics: job.topics,
    concurrency: settings.concurrency,
    sessionTimeoutMs: settings.sessionTimeoutMs,
    metrics,
    log,
    onFatal: (error) => fatal(error),
  });
  const member = (): boolean => isMember(source.membership(), Date.now(), settings.sessionTimeoutMs);
  const entries = connectorEntries(connectors);
  const primaryEntry = job.primary === undefined ? undefined : entries.find(([name]) => name === job.primary);

  const deadLetters = createDeadLetterProducer(kafka);
  // A batch delivered again (after a crash between the dead letter and the commit, or a deliberate
  // replay) must not dead-letter the same message twice: with Redis, once per source offset.
  const sendDeadLetter = async (letter: DeadLetter): Promise<void> => {
    if (!dedup) return deadLetters.send(letter);
    const h = DEAD_LETTER_HEADERS;
    const key = `dead-letter:${groupId}:${letter.headers[h.topic]}:${letter.headers[h.partition]}:${letter.headers[h.offset]}`;
    if ((await dedup.once(key, () => deadLetters.send(letter))) === 'busy') throw new Error('another replica is dead-lettering this message');
  };
  let probe: Awaited<ReturnType<typeof startProbeServer>> | undefined;
  const release = async (): Promise<void> => {
    await deadLetters.close().catch(() => undefined);
    await Promise.allSettled([closeConnectors(owned), probe?.close()]);
  };
  try {
    await requireTopics(kafka, job.topics);
    const bound = await job.bind({ config, connectors, log, dedup, metrics: metrics.registry });
    probe = await startProbeServer({ job: job.name, host: options.host ?? '0.0.0.0', port: options.port ?? config.httpPort, registry: metrics.registry, connectors: entries, primary: primaryEntry, member });
    await source.start(async (batch) => {
      await processBatch(batch, {
        job: job.name,
        bound,
        policy,
        batchSize: job.batchSize,
        metrics,
        log,
        deadLetter: (letter) => sendDeadLetter(letter),
      });
    });
  } catch (error) {
    await source.stop().catch(() => undefined);
    await release();
    throw error;
  }
  log.info({ groupId, topics: job.topics.map((t) => kafka.topic(t)), url: probe.url }, 'job started');

  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let stopping: Promise<void> | undefined;
  const stop = (reason: string, code = 0): Promise<void> => {
    stopping ??= (async () => {
      const deadlineMs = config.shutdownDeadlineMs;
      log.info({ reason, deadlineMs }, 'stopping');
      const deadline = setTimeout(() => {
        log.error({ deadlineMs }, 'stop deadline passed; exiting');
        resolveClosed();
        exit(1);
      }, deadlineMs);
      deadline.unref();
      try {
        await source.stop();
        await release();
        log.info({}, 'stopped');
        process.exitCode = code;
      } catch (error) {
        log.error({ err: error instanceof Error ? error.message : String(error) }, 'stop failed');
        process.exitCode = 1;
      } finally {
        clearTimeout(deadline);
        resolveClosed();
        if (code !== 0) exit(code);
      }
    })();
    return stopping;
  };
  fatal = (error) => void stop(`consumer failed: ${error.message}`, 1);

  if (options.signals ?? true) {
    const onSigterm = (): void => void stop('SIGTERM');
    const onSigint = (): void => void stop('SIGINT');
    process.once('SIGTERM', onSigterm);
    process.once('SIGINT', onSigint);
    void closed.then(() => {
      process.off('SIGTERM', onSigterm);
      process.off('SIGINT', onSigint);
    });
  }
  return { url: probe.url, groupId, metrics: metrics.registry, membership: () => source.membership(), stop: () => stop('stop requested'), closed };
}
