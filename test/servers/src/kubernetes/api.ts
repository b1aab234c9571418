import { request } from 'node:https';

export interface ApiResponse {
  status: number;
  body: string;
}

export interface ApiTarget {
  /** e.g. https://127.0.0.1:16443 */
  base: string;
  /** PEM of the CA that signed the serving certificate; without it the certificate is not checked (loopback only). */
  ca?: string;
  token?: string;
}

/** One HTTPS request to a loopback control-plane endpoint; resolves undefined when nothing answered. */
export function apiRequest(target: ApiTarget, method: string, path: string, body?: unknown, timeoutMs = 5000): Promise<ApiResponse | undefined> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (target.token) headers.authorization = `Bearer ${target.token}`;
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const req = request(
      new URL(path, target.base),
      { method, headers, timeout: timeoutMs, ...(target.ca ? { ca: target.ca } : { rejectUnauthorized: false }) },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', () => resolve(undefined));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end(payload);
  });
}

interface NodeCondition {
  type: string;
  status: string;
}

/** True when a Node object (JSON) reports condition Ready=True. */
export function nodeIsReady(nodeJson: string): boolean {
  try {
    const node = JSON.parse(nodeJson) as { status?: { conditions?: NodeCondition[] } };
    return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  } catch {
    return false;
  }
}
