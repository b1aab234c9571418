/**
 * A local SMTP server (the `smtp-server` package) that keeps every accepted message as a file
 * `<dataDir>/messages/<time>-<n>.eml` (the raw message, with `X-Lern-Envelope-From` and
 * `X-Lern-Envelope-To` headers first), so tests read what a real mail relay received. It accepts
 * any sender and recipient, without authentication or TLS: loopback only.
 *
 * The same file is the server process: `node smtp.ts <port> <folder>`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerDefinition } from '../types.ts';

const SELF = fileURLToPath(import.meta.url);

/** Where the messages of the server with this data folder are kept. */
export const messagesDir = (dataDir: string): string => join(dataDir, 'data', 'messages');

/** True when something on the port greets with SMTP's 220. */
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (chunk) => done(chunk.toString().startsWith('220')));
  });
}

export const smtp: ServerDefinition = {
  name: 'smtp',
  version: 'smtp-server (npm)',
  obtain: () => Promise.resolve(),
  async start(ctx) {
    const folder = messagesDir(ctx.dataDir);
    mkdirSync(folder, { recursive: true });
    ctx.spawn('smtp', { command: process.execPath, args: [SELF, String(ctx.ports.smtp), folder] });
    await ctx.waitFor('smtp', () => greets(ctx.ports.smtp), 20_000, 'smtp');
  },
  probe: (ctx) => greets(ctx.ports.smtp),
  env: (ctx) => ({
    LERN_SMTP_HOST: '127.0.0.1',
    LERN_SMTP_PORT: String(ctx.ports.smtp),
    LERN_SMTP_MESSAGES_DIR: messagesDir(ctx.dataDir),
  }),
};

/** The server process. */
async function serve(port: number, folder: string): Promise<void> {
  const { SMTPServer } = await import('smtp-server');
  mkdirSync(folder, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 25 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
        const head = `X-Lern-Envelope-From: ${from}\r\nX-Lern-Envelope-To: ${to}\r\n`;
        writeFileSync(join(folder, `${Date.now()}-${process.pid}-${++count}.eml`), Buffer.concat([Buffer.from(head), ...chunks]));
        callback();
      });
    },
  });
  server.on('error', (e) => process.stderr.write(`smtp: ${String(e)}\n`));
  server.listen(port, '127.0.0.1', () => process.stdout.write(`smtp listening on 127.0.0.1:${port}, messages in ${folder}\n`));
}

if (process.argv[1] === SELF) {
  const [port, folder] = process.argv.slice(2);
  if (!port || !folder) {
    process.stderr.write('usage: node smtp.ts <port> <folder>\n');
    process.exit(2);
  }
  void serve(Number(port), folder);
}
