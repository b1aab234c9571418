import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a real server, which a test cuts and restores to simulate an
 * outage without touching the shared server: `refuse` stops listening (connections are refused,
 * like a stopped server), `blackhole` accepts connections and never answers (like a network
 * partition, where clients wait for their timeouts). Either way, open connections are dropped.
 */
export class TcpProxy {
  readonly host = '127.0.0.1';
  port = 0;
  /** Connections accepted and forwarded so far. */
  forwarded = 0;
  private readonly targetHost: string;
  private readonly targetPort: number;
  private server: Server | undefined;
  private mode: 'open' | 'refuse' | 'blackhole' = 'open';
  private readonly sockets = new Set<Socket>();

  constructor(target: string) {
    const [host, port] = target.split(':');
    this.targetHost = host!;
    this.targetPort = Number(port);
  }

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  async start(): Promise<void> {
    await this.listen(this.port);
  }

  private listen(port: number): Promise<void> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        this.port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private accept(client: Socket): void {
    this.track(client);
    if (this.mode !== 'open') return; // blackhole: held, never forwarded
    this.forwarded += 1;
    const upstream = connect(this.targetPort, this.targetHost);
    this.track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  private dropAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  /** Starts the outage. */
  async cut(mode: 'refuse' | 'blackhole'): Promise<void> {
    this.mode = mode;
    if (mode === 'refuse') {
      const server = this.server;
      this.server = undefined;
      const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      this.dropAll();
      await closed;
    } else {
      this.dropAll();
    }
  }

  /** Ends the outage: the same port forwards again; connections held by a blackhole are dropped. */
  async restore(): Promise<void> {
    const wasRefusing = this.mode === 'refuse';
    this.mode = 'open';
    this.dropAll();
    if (wasRefusing) await this.listen(this.port);
  }

  async close(): Promise<void> {
    this.mode = 'refuse';
    const server = this.server;
    this.server = undefined;
    this.dropAll();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
