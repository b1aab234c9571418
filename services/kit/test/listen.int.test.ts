import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createApp, defineService, isInternalRequest, listenOnLoopback, listenPublicAndInternal, loadConfig, runService, type LernApp } from '@lern/kit';

const freePort = async (): Promise<number> =>
  new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });

let release: () => void = () => undefined;
const probeService = defineService({
  name: 'probe',
  connectors: [],
  register(app) {
    app.get('/private/user/v1/probe', (request) => ({ internal: isInternalRequest(request.raw) }));
    app.get('/v1/probe', (request) => ({ internal: isInternalRequest(request.raw) }));
    app.post('/private/echo', (request) => request.body);
    app.get('/private/slow', async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return { done: true };
    });
  },
});

const apps: LernApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});
async function probeApp(env: Record<string, string> = {}): Promise<LernApp> {
  const app = await createApp({ service: probeService, config: loadConfig(env), logger: false });
  apps.push(app);
  return app;
}
const getJson = async (url: string): Promise<unknown> => (await fetch(url)).json();

describe('the internal listener', () => {
  it('hands requests to the same app and marks only those as internal', async () => {
    const { publicUrl, internalUrl } = await listenOnLoopback(await probeApp());
    expect(publicUrl).not.toBe(internalUrl);
    expect(await getJson(`${internalUrl}/private/user/v1/probe`)).toEqual({ internal: true });
    expect(await getJson(`${internalUrl}/v1/probe`)).toEqual({ internal: true });
    expect(await getJson(`${publicUrl}/v1/probe`)).toEqual({ internal: false });
    // A client cannot claim to be internal.
    expect(await (await fetch(`${publicUrl}/private/user/v1/probe`, { headers: { 'x-lern-internal': 'true', 'x-forwarded-port': '9001' } })).json()).toEqual({ internal: false });
  });

  it('closing the app lets an in-flight internal request finish, then stops both ports', async () => {
    const app = await probeApp();
    const { publicUrl, internalUrl } = await listenOnLoopback(app);
    const inFlight = fetch(`${internalUrl}/private/slow`);
    await new Promise((r) => setTimeout(r, 100));
    const closing = app.close();
    await new Promise((r) => setTimeout(r, 100));
    release();
    expect(await (await inFlight).json()).toEqual({ done: true });
    await closing;
    apps.length = 0;
    await expect(fetch(`${internalUrl}/v1/probe`)).rejects.toThrow();
    await expect(fetch(`${publicUrl}/v1/probe`)).rejects.toThrow();
  });

  it('a request whose body never completes gets 408 after the request timeout', async () => {
    const app = await probeApp();
    const { internalUrl } = await listenPublicAndInternal(app, { host: '127.0.0.1', port: 0, internalPort: 0, requestTimeoutMs: 300 });
    const { port } = new URL(internalUrl);
    const started = Date.now();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('POST /private/echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"partial":'));
      let text = '';
      socket.on('data', (chunk) => (text += String(chunk)));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('runService serves /private on LERN_INTERNAL_HTTP_PORT', async () => {
    const [port, internalPort] = [await freePort(), await freePort()];
    const exits: number[] = [];
    const { app, publicUrl, internalUrl, closed } = await runService(
      probeService,
      { LERN_HTTP_PORT: String(port), LERN_INTERNAL_HTTP_PORT: String(internalPort), LERN_LOG_LEVEL: 'silent' },
      { exit: (code) => exits.push(code) },
    );
    expect(publicUrl).toBe(`http://127.0.0.1:${port}`);
    expect(internalUrl).toBe(`http://127.0.0.1:${internalPort}`);
    expect(await getJson(`${internalUrl}/private/user/v1/probe`)).toEqual({ internal: true });
    await app.close();
    await closed;
    expect(exits).toEqual([]);
  });
});

describe('shutdown deadline', () => {
  it('the process exits by LERN_SHUTDOWN_DEADLINE_MS although a request and a close hook hang', async () => {
    const [port, internalPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, [fileURLToPath(new URL('./hung-service.ts', import.meta.url))], {
      env: { ...process.env, LERN_HTTP_PORT: String(port), LERN_INTERNAL_HTTP_PORT: String(internalPort), LERN_SHUTDOWN_DEADLINE_MS: '1500', LERN_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const seen = (marker: string): Promise<void> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (stdout.split('\n').includes(marker)) resolve();
        };
        child.stdout.on('data', check);
        child.once('exit', () => reject(new Error(`exited before "${marker}": ${stderr}`)));
        check();
      });
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await seen('ready');
      const hung = fetch(`http://127.0.0.1:${port}/v1/hang`).then(
        () => 'answered',
        () => 'cut',
      );
      await seen('hung');
      const signalledAt = Date.now();
      child.kill('SIGTERM');
      const code = await exited;
      const took = Date.now() - signalledAt;
      expect(code).toBe(1);
      expect(took).toBeGreaterThanOrEqual(1_400);
      expect(took).toBeLessThan(5_000);
      expect(await hung).toBe('cut');
      expect(stdout).toContain('shutdown deadline passed');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
