/** The service's own settings (beyond the kit's configuration) and how the environment sets them. */
import { ConfigError, type Env, type OutboxTiming } from '@lern/kit';
import { isTimeZone } from './dates.ts';

/** Settings of the service beyond the kit's configuration; unset ones come from the environment. */
export interface LmsServiceOptions {
  /** IANA zone of batch dates: LERN_LMS_TIMEZONE (upstream sunbird_time_zone). @default 'UTC' */
  timeZone?: string;
  /** Run the post-publish consumer in this process: LERN_LMS_CONSUME_COURSE_STRUCTURES. @default true */
  consumeCourseStructures?: boolean;
  /** Redis key prefix of the cache maps. @default 'lms:' */
  cachePrefix?: string;
  /** Refresh the index after each write (tests): LERN_LMS_REFRESH_INDEX. @default false */
  refreshIndex?: boolean;
  /** The clock (tests). */
  now?: () => Date;
  outboxTiming?: Partial<OutboxTiming>;
  /** Pause of the consumer before reconnecting after a failed start. */
  consumerReconnectDelayMs?: number;
}


function timeZoneFrom(env: Env): string {
  const value = env.LERN_LMS_TIMEZONE || env.sunbird_time_zone || 'UTC';
  if (!isTimeZone(value)) throw new ConfigError('LERN_LMS_TIMEZONE', `'${value}' is not an IANA time zone (e.g. UTC, Asia/Kolkata)`);
  return value;
}

/** The options the environment sets (given options win). */
export function resolveOptions(options: LmsServiceOptions, env: Env = process.env): Required<Pick<LmsServiceOptions, 'timeZone' | 'consumeCourseStructures' | 'refreshIndex'>> & LmsServiceOptions {
  return {
    ...options,
    timeZone: options.timeZone ?? timeZoneFrom(env),
    consumeCourseStructures: options.consumeCourseStructures ?? env.LERN_LMS_CONSUME_COURSE_STRUCTURES !== 'false',
    refreshIndex: options.refreshIndex ?? env.LERN_LMS_REFRESH_INDEX === 'true',
  };
}
