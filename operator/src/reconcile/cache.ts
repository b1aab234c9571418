/**
 * Informer caches on @kubernetes/client-node's ListWatch, made resilient: the library relists on
 * 410 ("resource version too old") but stops on any other error, so each cache restarts itself
 * with backoff. Objects the operator just wrote are remembered until the watch catches up, so a
 * reconcile that runs in between does not mistake the old copy for drift.
 */
import { ListWatch, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { collectionPath, type AnyObject, type KubeApi } from './kube.ts';

/** A cached object. */
export type CachedObject = AnyObject & { metadata: { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string>; [k: string]: unknown } };

/** What happened to an object. */
export type CacheEvent = 'add' | 'update' | 'delete';

/** Options of one cache. */
export interface CacheOptions {
  kind: string;
  /** Only this namespace; all when undefined. */
  namespace?: string;
  labelSelector?: string;
  onEvent: (event: CacheEvent, obj: CachedObject) => void;
  log: Logger;
  /** Called on every watch error (metrics). */
  onError?: (kind: string, error: unknown) => void;
}

const key = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

function newer(a: string | undefined, b: string | undefined): boolean {
  // Resource versions are opaque, but etcd's are integers; when they are not, any event counts as newer.
  const x = Number(a);
  const y = Number(b);
  return !Number.isFinite(x) || !Number.isFinite(y) || x >= y;
}

/** One informer cache. */
export class InformerCache {
  readonly kind: string;
  private readonly informer: ListWatch<KubernetesObject>;
  private readonly options: CacheOptions;
  private readonly written = new Map<string, CachedObject>();
  private synced = false;
  private stopped = false;
  private restartDelayMs = 500;
  private restartTimer?: NodeJS.Timeout;

  constructor(kc: KubeConfig, api: KubeApi, options: CacheOptions) {
    this.kind = options.kind;
    this.options = options;
    const path = collectionPath(options.kind, options.namespace);
    const listFn = async () => {
      const list = await api.list<KubernetesObject>(options.kind, options.namespace, options.labelSelector);
      this.synced = true;
      this.restartDelayMs = 500;
      return list;
    };
    this.informer = new ListWatch<KubernetesObject>(path, new Watch(kc), listFn, false, options.labelSelector);
    const forward = (event: CacheEvent) => (obj: KubernetesObject) => {
      const o = obj as CachedObject;
      const k = key(o.metadata.namespace, o.metadata.name);
      const mine = this.written.get(k);
      if (mine && (event === 'delete' || newer(o.metadata.resourceVersion, mine.metadata.resourceVersion))) this.written.delete(k);
      options.onEvent(event, o);
    };
    this.informer.on('add', forward('add'));
    this.informer.on('update', forward('update'));
    this.informer.on('delete', forward('delete'));
    this.informer.on('error', (err: unknown) => {
      options.onError?.(options.kind, err);
      if (this.stopped) return;
      const delay = this.restartDelayMs;
      this.restartDelayMs = Math.min(this.restartDelayMs * 2, 30_000);
      options.log.warn({ kind: options.kind, err: String(err), retryInMs: delay }, 'watch failed; restarting');
      this.restartTimer = setTimeout(() => {
        if (!this.stopped) this.informer.start().catch((e: unknown) => options.log.error({ kind: options.kind, err: String(e) }, 'watch restart failed'));
      }, delay);
      this.restartTimer.unref();
    });
  }

  /** True once the first list succeeded. */
  get isSynced(): boolean {
    return this.synced;
  }

  /** Starts listing and watching; resolves once the first list arrived (retrying until it does). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.informer.start();
    while (!this.synced && !this.stopped) await new Promise((r) => setTimeout(r, 100));
  }

  /** Stops watching. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    await this.informer.stop();
  }

  /** Remembers an object the operator just wrote. */
  remember(obj: CachedObject): void {
    this.written.set(key(obj.metadata.namespace, obj.metadata.name), obj);
  }

  /** Forgets a remembered object (after deleting it). */
  forget(namespace: string | undefined, name: string): void {
    this.written.delete(key(namespace, name));
  }

  /** One object by namespace and name. */
  get(namespace: string | undefined, name: string): CachedObject | undefined {
    return this.written.get(key(namespace, name)) ?? (this.informer.get(name, namespace) as CachedObject | undefined);
  }

  /** Every object, optionally of one namespace, with remembered writes overlaid. */
  list(namespace?: string): CachedObject[] {
    const out = new Map<string, CachedObject>();
    for (const o of this.informer.list(namespace) as CachedObject[]) out.set(key(o.metadata.namespace, o.metadata.name), o);
    for (const [k, o] of this.written) if (namespace === undefined || o.metadata.namespace === namespace) out.set(k, o);
    return [...out.values()];
  }
}
