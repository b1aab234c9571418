import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { tailFile } from './proc.ts';

/** Lines for a person watching a long first start: what is being fetched or built, and how long it has taken. */
export interface Progress {
  info(message: string): void;
  /** Runs `fn`, printing a start line, a heartbeat while it runs, and the elapsed time at the end. */
  step<T>(label: string, fn: () => Promise<T>): Promise<T>;
}

export function consoleProgress(prefix = 'lern servers', write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Progress {
  return {
    info: (message) => write(`[${prefix}] ${message}`),
    async step(label, fn) {
      const started = Date.now();
      write(`[${prefix}] ${label} ...`);
      const heartbeat = setInterval(() => write(`[${prefix}] ${label}: still running (${formatSeconds(Date.now() - started)})`), 30_000);
      heartbeat.unref();
      try {
        const result = await fn();
        write(`[${prefix}] ${label}: done in ${formatSeconds(Date.now() - started)}`);
        return result;
      } finally {
        clearInterval(heartbeat);
      }
    },
  };
}

export function formatSeconds(ms: number): string {
  const s = Math.round(ms / 100) / 10;
  return s >= 60 ? `${Math.floor(s / 60)}m${Math.round(s % 60)}s` : `${s}s`;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Output goes here; its tail is shown when the command fails. */
  logFile: string;
  /** What to tell the person when it fails. */
  hint?: string;
}

/** Runs a build or fetch command to completion, output to a log file, failing with the log's tail. */
export function runLogged(command: string, args: readonly string[], options: RunOptions): Promise<void> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  log.write(`\n$ ${command} ${args.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('error', (error) => {
      log.end();
      reject(new Error(`could not run ${command}: ${error.message}${options.hint ? `\n${options.hint}` : ''}`));
    });
    child.on('close', (code, signal) => {
      log.end(() => {
        if (code === 0) return resolve();
        const tail = tailFile(options.logFile, 30);
        reject(
          new Error(
            `${command} ${args.slice(0, 3).join(' ')} failed (${signal ?? `exit ${code}`}); log: ${options.logFile}\n${tail}` +
              (options.hint ? `\n${options.hint}` : ''),
          ),
        );
      });
    });
  });
}
