import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { consoleProgress } from './progress.ts';
import { runLogged } from './progress.ts';
import { ensureAptPackages, which } from './system.ts';
import { findJavaHome, JAVA17_HOME, JAVA21_PLUS_HOMES } from './java.ts';
import { resolvePaths } from './paths.ts';
import { dirname, join } from 'node:path';

/** Helm renders the operator's chart in the RBAC test; built from the Go module proxy into the cache. */
export const HELM_VERSION = 'v3.17.3';

/** Where `lern doctor` puts helm (LERN_HELM overrides). */
export function helmPath(): string {
  return process.env.LERN_HELM ?? join(resolvePaths().cacheRoot, 'tools', `helm-${HELM_VERSION}`, 'helm');
}

/** One prerequisite of the test run: how to tell it is there, and how to get it. */
interface Prerequisite {
  what: string;
  present(): boolean;
  /** Debian packages that provide it (installed automatically as root). */
  apt?: string[];
  /** Builds or fetches it without root (tried when there is no apt package). */
  obtain?(logFile: string): Promise<void>;
  /** What to do when it cannot be installed from here. */
  otherwise?: string;
}

const goVersionAtLeast = (major: number, minor: number): boolean => {
  const out = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
  const match = /go(\d+)\.(\d+)/.exec(out.stdout ?? '');
  return match !== null && (Number(match[1]) > major || (Number(match[1]) === major && Number(match[2]) >= minor));
};

const prerequisites: Prerequisite[] = [
  { what: 'Java 17 (Cassandra, Kafka, OpenSearch)', present: () => existsSync(join(JAVA17_HOME, 'bin', 'java')), apt: ['openjdk-17-jre-headless'] },
  {
    what: 'Java 21 or newer (Elasticsearch 9)',
    present: () => findJavaHome(JAVA21_PLUS_HOMES) !== undefined,
    // Debian 12 packages no Java 21; Debian 13 does, but apt here cannot tell which release it runs on.
    otherwise: `install a JDK 21+ at one of ${JAVA21_PLUS_HOMES.join(', ')} (Temurin 25, or Debian 13's openjdk-21-jre-headless)`,
  },
  { what: 'Maven (fetches the Java servers from Maven Central)', present: () => which('mvn') !== undefined, apt: ['maven'] },
  { what: 'openssl (certificates of the local Kubernetes API server)', present: () => which('openssl') !== undefined, apt: ['openssl'] },
  { what: 'Lua 5.1 (runs the Argo CD health check the way Argo CD does)', present: () => which('lua5.1') !== undefined, apt: ['lua5.1'] },
  { what: 'Redis server', present: () => which('redis-server') !== undefined, apt: ['redis-server'] },
  { what: 'PostgreSQL server', present: () => existsSync('/usr/lib/postgresql'), apt: ['postgresql'] },
  {
    what: 'Python 3.11+ with venv (test/fuzz installs schemathesis into a cached virtualenv)',
    present: () => spawnSync('python3', ['-c', 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))']).status === 0,
    apt: ['python3', 'python3-venv'],
  },
  {
    what: 'Go 1.26 or newer (builds etcd, Kubernetes and KWOK from the Go module proxy)',
    present: () => goVersionAtLeast(1, 26),
    otherwise: 'install Go 1.26+ and put it on PATH (Debian\'s golang packages are older)',
  },
  {
    what: `helm ${HELM_VERSION} (renders the operator's chart in the RBAC test)`,
    present: () => existsSync(helmPath()),
    obtain: (logFile) =>
      runLogged('go', ['install', `helm.sh/helm/v3/cmd/helm@${HELM_VERSION}`], {
        logFile,
        env: { ...process.env, GOBIN: dirname(helmPath()), CGO_ENABLED: '0', GOTOOLCHAIN: 'local' },
        hint: 'helm is built from the Go module proxy; check that Go 1.26+ works, or set LERN_HELM to a helm binary',
      }),
  },
];

/**
 * `lern doctor`: checks what the test run and `lern servers` need from the machine, installs the
 * missing Debian packages when running as root, and otherwise says exactly what to install.
 */
export async function doctorCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('Usage: lern doctor\n\nChecks the machine for what the tests and `lern servers` need; installs missing Debian packages as root.\n');
    return 0;
  }
  const progress = consoleProgress('lern doctor');
  const logFile = join(resolvePaths().dataRoot, 'doctor.log');
  const problems: string[] = [];
  for (const p of prerequisites) {
    if (p.present()) continue;
    if (p.apt) {
      try {
        await ensureAptPackages(p.apt, () => p.present(), progress, logFile);
        continue;
      } catch (error) {
        problems.push(`${p.what}: ${(error as Error).message}`);
        continue;
      }
    }
    if (p.obtain) {
      try {
        await progress.step(`obtaining ${p.what}`, () => p.obtain!(logFile));
        if (p.present()) continue;
      } catch (error) {
        problems.push(`${p.what}: ${(error as Error).message}`);
        continue;
      }
    }
    problems.push(`${p.what}: missing; ${p.otherwise ?? 'install it'}`);
  }
  if (problems.length > 0) {
    process.stderr.write(`Missing prerequisites:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 1;
  }
  progress.info('all prerequisites present');
  return 0;
}
