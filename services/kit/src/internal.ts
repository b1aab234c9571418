import type { IncomingMessage } from 'node:http';

/**
 * Requests that arrived on the internal listener. A WeakSet rather than a header or a property,
 * so a client cannot claim to be internal, and entries go away with their requests.
 */
const internalRequests = new WeakSet<IncomingMessage>();

/** Marks a raw request as received on the internal port; only the internal listener calls this. */
export function markInternalRequest(raw: IncomingMessage): void {
  internalRequests.add(raw);
}

/** True when the request came in on the internal port (LERN_INTERNAL_HTTP_PORT): `/private/*` is served only then. */
export function isInternalRequest(raw: IncomingMessage): boolean {
  return internalRequests.has(raw);
}
