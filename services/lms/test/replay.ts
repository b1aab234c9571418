/* eslint-disable @typescript-eslint/no-explicit-any -- upstream examples are untyped JSON */
/**
 * Upstream's request/response examples (../shared/reference/upstream-api/lms/<operation>.json),
 * read by the replay tests with their Postman placeholders filled in.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const DIR = resolve(import.meta.dirname, '../../../../shared/reference/upstream-api/lms');

/** One operation's examples. */
export interface UpstreamOperation {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  request: any;
  response_example: any;
  error_examples: { request: any; http_status: number | null; err: string | null }[];
  request_variants?: { request?: any; path?: string }[];
}

/** Reads `<name>.json`. */
export function upstream(name: string): UpstreamOperation {
  return JSON.parse(readFileSync(resolve(DIR, `${name}.json`), 'utf8')) as UpstreamOperation;
}

/** Replaces `{{name}}` placeholders (Postman variables; `-` and `_` spellings alike) in strings of a value. */
export function fill<T>(value: T, vars: Record<string, string>): T {
  const text = JSON.stringify(value).replace(/\{\{([A-Za-z_-]+)\}\}/g, (whole, name: string) => vars[name.replace(/-/g, '_')] ?? whole);
  return JSON.parse(text) as T;
}
