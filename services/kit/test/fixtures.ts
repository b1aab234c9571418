import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throw-away repository root with component folders, for migration runs. */
export function makeRoot(): { root: string; write(path: string, text: string): void } {
  const root = mkdtempSync(join(tmpdir(), 'lern-migrations-'));
  return {
    root,
    write(path, text) {
      const full = join(root, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
    },
  };
}
