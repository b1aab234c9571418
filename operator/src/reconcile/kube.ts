/**
 * A thin client for the Kubernetes REST API: one keep-alive agent, server-side apply with one
 * field manager, and a count of every request by verb (the benchmark and the no-op test read it).
 * @kubernetes/client-node supplies the kubeconfig handling and the watches.
 */
import { Agent, request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { FIELD_MANAGER } from '../api/types.ts';

/** Where a kind lives in the API. */
export interface KindInfo {
  apiVersion: string;
  plural: string;
  namespaced: boolean;
}

/** Every kind the operator reads or writes. */
export const KINDS: Record<string, KindInfo> = {
  LernInstallation: { apiVersion: 'lern.sunbird.org/v1alpha1', plural: 'lerninstallations', namespaced: true },
  Deployment: { apiVersion: 'apps/v1', plural: 'deployments', namespaced: true },
  Service: { apiVersion: 'v1', plural: 'services', namespaced: true },
  ConfigMap: { apiVersion: 'v1', plural: 'configmaps', namespaced: true },
  ServiceAccount: { apiVersion: 'v1', plural: 'serviceaccounts', namespaced: true },
  Job: { apiVersion: 'batch/v1', plural: 'jobs', namespaced: true },
  NetworkPolicy: { apiVersion: 'networking.k8s.io/v1', plural: 'networkpolicies', namespaced: true },
  HorizontalPodAutoscaler: { apiVersion: 'autoscaling/v2', plural: 'horizontalpodautoscalers', namespaced: true },
  PodDisruptionBudget: { apiVersion: 'policy/v1', plural: 'poddisruptionbudgets', namespaced: true },
  Event: { apiVersion: 'v1', plural: 'events', namespaced: true },
  Lease: { apiVersion: 'coordination.k8s.io/v1', plural: 'leases', namespaced: true },
  Namespace: { apiVersion: 'v1', plural: 'namespaces', namespaced: false },
  Pod: { apiVersion: 'v1', plural: 'pods', namespaced: true },
  Secret: { apiVersion: 'v1', plural: 'secrets', namespaced: true },
  CustomResourceDefinition: { apiVersion: 'apiextensions.k8s.io/v1', plural: 'customresourcedefinitions', namespaced: false },
};

/** The API path of a kind's collection (namespace optional for all-namespace lists). */
export function collectionPath(kind: string, namespace?: string): string {
  const info = KINDS[kind];
  if (!info) throw new Error(`unknown kind ${kind}`);
  const prefix = info.apiVersion.includes('/') ? `/apis/${info.apiVersion}` : `/api/${info.apiVersion}`;
  return info.namespaced && namespace ? `${prefix}/namespaces/${namespace}/${info.plural}` : `${prefix}/${info.plural}`;
}

/** The API path of one object. */
export function objectPath(kind: string, name: string, namespace?: string, subresource?: string): string {
  return `${collectionPath(kind, namespace)}/${encodeURIComponent(name)}${subresource ? `/${subresource}` : ''}`;
}

/** An error answer of the API server. */
export class KubeError extends Error {
  readonly status: number;
  readonly reason: string;
  readonly body: unknown;
  constructor(status: number, reason: string, message: string, body: unknown) {
    super(message);
    this.name = 'KubeError';
    this.status = status;
    this.reason = reason;
    this.body = body;
  }
}

/** True for a 404. */
export const isNotFound = (e: unknown): boolean => e instanceof KubeError && e.status === 404;
/** True for a 409 (resourceVersion conflict or already exists). */
export const isConflict = (e: unknown): boolean => e instanceof KubeError && e.status === 409;

/** Request counts by verb. */
export type RequestCounts = Record<'get' | 'list' | 'create' | 'apply' | 'update' | 'patch' | 'delete', number>;

const zeroCounts = (): RequestCounts => ({ get: 0, list: 0, create: 0, apply: 0, update: 0, patch: 0, delete: 0 });

/** Minimal object shape. */
export interface AnyObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; [k: string]: unknown };
  [k: string]: unknown;
}

/** REST client. */
export class KubeApi {
  readonly server: URL;
  /** Requests made so far, by verb. */
  counts: RequestCounts = zeroCounts();
  /** Called after every request (metrics). */
  onRequest?: (verb: keyof RequestCounts, status: number) => void;
  private readonly kc: KubeConfig;
  private options?: { opts: RequestOptions; at: number };
  private agent?: Agent | HttpAgent;

  constructor(kc: KubeConfig) {
    this.kc = kc;
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig names no current cluster');
    this.server = new URL(cluster.server);
  }

  /** Resets the request counts and returns the previous ones. */
  takeCounts(): RequestCounts {
    const c = this.counts;
    this.counts = zeroCounts();
    return c;
  }

  /** Total writes in a count. */
  static writes(c: RequestCounts): number {
    return c.create + c.apply + c.update + c.patch + c.delete;
  }

  private async requestOptions(): Promise<RequestOptions> {
    // Credentials are re-read every minute: in a pod the service account token rotates.
    if (!this.options || Date.now() - this.options.at > 60_000) {
      const opts: RequestOptions = {};
      await this.kc.applyToHTTPSOptions(opts);
      this.options = { opts, at: Date.now() };
      if (!this.agent) {
        this.agent = this.server.protocol === 'https:'
          ? new Agent({ keepAlive: true, maxSockets: 32, ca: opts.ca, cert: opts.cert, key: opts.key, ...(opts.rejectUnauthorized !== undefined ? { rejectUnauthorized: opts.rejectUnauthorized } : {}) })
          : new HttpAgent({ keepAlive: true, maxSockets: 32 });
      }
    }
    return this.options.opts;
  }

  /** One request; JSON in and out. Throws KubeError for answers >= 400. */
  async request<T>(verb: keyof RequestCounts, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const base = await this.requestOptions();
    const url = new URL(path, this.server);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = { ...(base.headers as Record<string, string> | undefined), Accept: 'application/json' };
    if (payload) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = String(payload.length);
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    this.counts[verb] += 1;
    return new Promise<T>((resolve, reject) => {
      const req = send(
        url,
        { method, headers, agent: this.agent, ...(base.auth ? { auth: base.auth } : {}), timeout: 60_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            this.onRequest?.(verb, status);
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = text;
            }
            if (status >= 400) {
              const b = (parsed ?? {}) as { reason?: string; message?: string };
              reject(new KubeError(status, b.reason ?? String(status), `${method} ${url.pathname}: ${status} ${b.message ?? text}`, parsed));
            } else {
              resolve(parsed as T);
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname}: timed out`)));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** GET one object. */
  get<T = AnyObject>(kind: string, name: string, namespace?: string): Promise<T> {
    return this.request<T>('get', 'GET', objectPath(kind, name, namespace));
  }

  /** LIST a collection. */
  list<T = AnyObject>(kind: string, namespace?: string, labelSelector?: string, fieldSelector?: string): Promise<{ items: T[]; metadata: { resourceVersion?: string } }> {
    const q = new URLSearchParams();
    if (labelSelector) q.set('labelSelector', labelSelector);
    if (fieldSelector) q.set('fieldSelector', fieldSelector);
    const query = q.size > 0 ? `?${q.toString()}` : '';
    return this.request('list', 'GET', `${collectionPath(kind, namespace)}${query}`);
  }

  /**
   * The object of that name if it exists, whatever its labels, read with the list verb (a field
   * selector on metadata.name), so the operator needs no get permission beyond its watches.
   */
  async findByName<T = AnyObject>(kind: string, name: string, namespace?: string): Promise<T | undefined> {
    const list = await this.list<T>(kind, namespace, undefined, `metadata.name=${name}`);
    return list.items[0];
  }

  /** Server-side apply under the operator's field manager; force takes fields back from hand edits. */
  apply<T = AnyObject>(object: AnyObject, options: { force?: boolean; subresource?: string; fieldManager?: string } = {}): Promise<T> {
    const kind = object.kind ?? '';
    const name = object.metadata?.name ?? '';
    const q = new URLSearchParams({ fieldManager: options.fieldManager ?? FIELD_MANAGER });
    if (options.force ?? true) q.set('force', 'true');
    return this.request<T>('apply', 'PATCH', `${objectPath(kind, name, object.metadata?.namespace, options.subresource)}?${q.toString()}`, object, 'application/apply-patch+yaml');
  }

  /** POST a new object. */
  create<T = AnyObject>(object: AnyObject): Promise<T> {
    return this.request<T>('create', 'POST', collectionPath(object.kind ?? '', object.metadata?.namespace), object);
  }

  /** PUT an object (optimistic lock through metadata.resourceVersion). */
  replace<T = AnyObject>(object: AnyObject, subresource?: string): Promise<T> {
    return this.request<T>('update', 'PUT', objectPath(object.kind ?? '', object.metadata?.name ?? '', object.metadata?.namespace, subresource), object);
  }

  /** JSON merge patch. */
  mergePatch<T = AnyObject>(kind: string, name: string, namespace: string | undefined, patch: unknown, subresource?: string): Promise<T> {
    return this.request<T>('patch', 'PATCH', objectPath(kind, name, namespace, subresource), patch, 'application/merge-patch+json');
  }

  /** DELETE an object; dependents go in the background. A missing object is not an error. */
  async delete(kind: string, name: string, namespace?: string, propagationPolicy: 'Background' | 'Foreground' | 'Orphan' = 'Background'): Promise<void> {
    try {
      await this.request('delete', 'DELETE', objectPath(kind, name, namespace), { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** Closes idle connections. */
  close(): void {
    this.agent?.destroy();
  }
}
