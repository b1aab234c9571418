/**
 * Registers the bulk upload routes in their own scope, with what they need beyond JSON: multipart
 * (@fastify/multipart; the file part becomes `request.data`), form-urlencoded bodies (`data` and the
 * other fields become `request`), a body limit that fits the file limit, and the worker's life cycle
 * (stopped with the app; uploads left by a stopped replica resumed at start and every few minutes).
 */
import multipart from '@fastify/multipart';
import { addRoutes, type CallerDirectory, type CassandraConnector, type LernApp } from '@lern/kit';
import type { PiiCipher } from '../pii.ts';
import { bulkRoutes } from './routes.ts';
import type { RowSink } from './row-sink.ts';
import { BulkStore } from './store.ts';
import { DEFAULT_LIMITS, type UploadLimits } from './upload.ts';
import { BulkWorker } from './worker.ts';

/** What the bulk uploads need from the service. */
export interface BulkUploadOptions {
  db: CassandraConnector;
  sink: RowSink;
  cipher: PiiCipher;
  callers: CallerDirectory | null;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** @default DEFAULT_LIMITS */
  limits?: UploadLimits;
  /** An upload whose heartbeat is older is taken over. @default 300000 */
  staleAfterMs?: number;
}

/** Multipart fields as @fastify/multipart's keyValues gives them, turned into `{request: {...}}`. */
export function requestFromForm(fields: Record<string, unknown>): { request: Record<string, string> } {
  const request: Record<string, string> = {};
  let file: string | undefined;
  for (const [name, raw] of Object.entries(fields)) {
    const value: unknown = Array.isArray(raw) ? raw[0] : raw;
    if (Buffer.isBuffer(value)) file ??= value.toString('utf8');
    else if (typeof value === 'string') request[name] = value;
  }
  if (file !== undefined) request.data = file;
  return { request };
}

/** Registers the bulk upload routes; resolves to the worker (tests wait on `worker.idle()`). */
export async function registerBulkUploads(app: LernApp, options: BulkUploadOptions): Promise<BulkWorker> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const store = new BulkStore(options.db);
  const worker = new BulkWorker({ store, sink: options.sink, cipher: options.cipher, callers: options.callers, log: options.log, staleAfterMs: options.staleAfterMs });
  // JSON escaping and percent-encoding make a body up to three times its file.
  const bodyLimit = limits.maxFileBytes * 3 + 1_000_000;

  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.bodyLimit = bodyLimit;
    });
    // An oversized file is cut one byte past the limit, so the size check answers upstream's 0014.
    await scope.register(multipart, { attachFieldsToBody: 'keyValues', throwFileSizeLimit: false, limits: { fileSize: limits.maxFileBytes + 1, files: 1, fields: 20, parts: 21 } });
    scope.addHook('preValidation', (request, _reply, done) => {
      if (request.isMultipart()) request.body = requestFromForm((request.body ?? {}) as Record<string, unknown>);
      done();
    });
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit }, (_request, body, done) => {
      const fields: Record<string, string> = {};
      for (const [name, value] of new URLSearchParams(String(body))) if (!(name in fields)) fields[name] = value;
      done(null, { request: fields });
    });
    addRoutes(scope, ...bulkRoutes({ store, worker, cipher: options.cipher, limits }));
  });

  let timer: NodeJS.Timeout | undefined;
  const resume = (): void => {
    worker.resumeStale().catch((error: unknown) => options.log.warn({ err: error }, 'unfinished bulk uploads not checked'));
  };
  app.addHook('onReady', (done) => {
    resume();
    timer = setInterval(resume, Math.max(10_000, (options.staleAfterMs ?? 300_000) / 2));
    timer.unref();
    done();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await worker.close();
  });
  return worker;
}
