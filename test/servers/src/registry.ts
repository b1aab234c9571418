import { cassandra } from './servers/cassandra.ts';
import { elasticsearch } from './servers/elasticsearch.ts';
import { kafka } from './servers/kafka.ts';
import { kubernetes } from './servers/kubernetes.ts';
import { opensearch } from './servers/opensearch.ts';
import { postgres } from './servers/postgres.ts';
import { redis } from './servers/redis.ts';
import { smtp } from './servers/smtp.ts';
import type { ServerDefinition, ServerName } from './types.ts';

export const definitions: Record<ServerName, ServerDefinition> = {
  cassandra,
  kafka,
  elasticsearch,
  opensearch,
  redis,
  postgres,
  kubernetes,
  smtp,
};
