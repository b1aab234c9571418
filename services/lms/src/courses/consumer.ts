/**
 * The consumer that learns course structures from the content platform's post-publish events, run
 * inside the lms process (one Kafka consumer group for every replica). At least once: a message's
 * offset is committed only after its structure was written or it was sent to the dead-letter topic.
 * A dependency outage (Cassandra down) leaves the offset uncommitted, so the event comes again once
 * the consumer restarts; any other failure is retried a few times, then dead-lettered with the
 * error. Writes are idempotent (a replay writes the same row; an older package version never
 * replaces a newer one).
 */
import { isDependencyUnavailable, type KafkaConnector } from '@lern/kit';
import type { CourseStructure } from './hierarchy.ts';
import { POST_PUBLISH_DEAD_LETTER_TOPIC, POST_PUBLISH_TOPIC, deadLetterMessage, decodePostPublishEvent, type MessageSource } from './events.ts';

type Consumer = ReturnType<KafkaConnector['kafka']['consumer']>;
type RunConfig = NonNullable<Parameters<Consumer['run']>[0]>;
type EachMessagePayload = Parameters<NonNullable<RunConfig['eachMessage']>>[0];

/** Consumer group (without the installation's topic prefix). */
export const STRUCTURE_CONSUMER_GROUP = 'lms.course-structure';

/** Logger of the consumer. */
export interface ConsumerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Options of createStructureConsumer. */
export interface StructureConsumerOptions {
  kafka: KafkaConnector;
  /** Writes a learnt structure (CourseStructures.apply). */
  apply(structure: CourseStructure): Promise<unknown>;
  log: ConsumerLog;
  /** Tries of a write failing for another reason than an outage before the event is dead-lettered. @default 3 */
  maxAttempts?: number;
  /** Pause before connecting again after a failed start. @default 5000 */
  reconnectDelayMs?: number;
  now?: () => Date;
}

/** A running consumer. */
export interface StructureConsumer {
  /** Connects, subscribes and consumes in the background; retries while Kafka is unreachable. */
  start(): void;
  /** Stops consuming and leaves the group. */
  stop(): Promise<void>;
}

/** Creates the post-publish consumer (nothing connects before start()). */
export function createStructureConsumer(options: StructureConsumerOptions): StructureConsumer {
  const { kafka, log } = options;
  const maxAttempts = options.maxAttempts ?? 3;
  const now = options.now ?? (() => new Date());
  const topic = kafka.topic(POST_PUBLISH_TOPIC);
  const consumer = kafka.kafka.consumer({ groupId: kafka.topic(STRUCTURE_CONSUMER_GROUP), allowAutoTopicCreation: false });
  let stopped = false;
  let running: Promise<void> | undefined;

  const deadLetter = async (raw: string | null, key: Buffer | null, failure: { errorCode: string; error: string }, source: MessageSource): Promise<void> => {
    log.warn({ ...source, errorCode: failure.errorCode, error: failure.error }, 'post-publish event dead-lettered');
    await kafka.send(POST_PUBLISH_DEAD_LETTER_TOPIC, [{ key: key ? key.toString('utf8') : null, value: deadLetterMessage(raw, failure, source, now()) }]);
  };

  const applyWithRetries = async (structure: CourseStructure): Promise<{ errorCode: string; error: string } | null> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await options.apply(structure);
        return null;
      } catch (error) {
        // An outage is not the event's fault: no commit, the event comes again.
        if (isDependencyUnavailable(error)) throw error;
        if (attempt >= maxAttempts) return { errorCode: 'ERR_PROCESSING', error: error instanceof Error ? error.message : String(error) };
      }
    }
  };

  const handle = async ({ topic: from, partition, message }: EachMessagePayload): Promise<void> => {
    const raw = message.value ? message.value.toString('utf8') : null;
    const source: MessageSource = { topic: from, partition, offset: message.offset };
    const decision = decodePostPublishEvent(raw);
    if (decision.kind === 'apply') {
      const failure = await applyWithRetries(decision.structure);
      if (failure) await deadLetter(raw, message.key, failure, source);
      else log.info({ courseId: decision.structure.courseId, leafNodes: decision.structure.leafNodes.length }, 'course structure learnt');
    } else if (decision.kind === 'invalid') {
      await deadLetter(raw, message.key, decision, source);
    }
    await consumer.commitOffsets([{ topic: from, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
  };

  const run = async (): Promise<void> => {
    while (!stopped) {
      try {
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({ autoCommit: false, eachMessage: handle });
        return;
      } catch (error) {
        if (stopped) return;
        log.error({ err: error, topic }, 'post-publish consumer could not start; retrying');
        await consumer.disconnect().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, options.reconnectDelayMs ?? 5_000));
      }
    }
  };

  return {
    start() {
      running ??= run();
    },
    async stop() {
      stopped = true;
      await running;
      await consumer.disconnect();
    },
  };
}
