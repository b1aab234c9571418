import { connect } from 'node:net';
import { request } from 'node:http';

/** Sends `payload` over TCP and resolves with what came back within the timeout (empty on failure). */
export function tcpExchange(port: number, payload: string | Buffer, timeoutMs = 2000, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    let data = '';
    const finish = (): void => {
      socket.destroy();
      resolve(data);
    };
    socket.setTimeout(timeoutMs, finish);
    socket.on('connect', () => socket.write(payload));
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      finish();
    });
    socket.on('error', finish);
    // A peer that speaks another protocol may just hang up: that is an answer too (an empty one).
    socket.on('close', finish);
  });
}

/** True when something accepts TCP connections on the port. */
export function tcpOpen(port: number, timeoutMs = 1000, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** GETs a loopback URL; resolves with status and body, or undefined when nothing answered. */
export function httpGet(url: string, timeoutMs = 3000, headers: Record<string, string> = {}): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}
