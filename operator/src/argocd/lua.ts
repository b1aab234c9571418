/**
 * Runs the Argo CD health check (examples/argocd/health.lua) with the real Lua 5.1 interpreter,
 * as Argo CD's gopher-lua would: the object as the global `obj`, the script's table as the answer.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '../up.ts';

/** Path of the shipped health check. */
export const HEALTH_LUA = resolve(REPO_ROOT, 'examples', 'argocd', 'health.lua');

/** Argo CD's answer. */
export interface HealthStatus {
  status: string;
  message: string;
}

/** A JSON value as a Lua table constructor. */
export function toLua(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value).replace(/\\u([0-9a-fA-F]{4})/g, (_m, h: string) => `\\${parseInt(h, 16)}`);
  if (Array.isArray(value)) return `{${value.map(toLua).join(', ')}}`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined);
  return `{${entries.map(([k, v]) => `[${JSON.stringify(k)}] = ${toLua(v)}`).join(', ')}}`;
}

/** Evaluates the health check on an object with `lua5.1`. */
export function argoHealth(object: unknown, script = readFileSync(HEALTH_LUA, 'utf8'), lua = process.env.LERN_LUA ?? 'lua5.1'): HealthStatus {
  const program = `obj = ${toLua(object)}\nlocal hs = (function()\n${script}\nend)()\nio.write(hs.status, "\\n", hs.message or "", "\\n")\n`;
  const out = execFileSync(lua, ['-'], { input: program, encoding: 'utf8' });
  const [status = '', ...message] = out.replace(/\n$/, '').split('\n');
  return { status, message: message.join('\n') };
}
