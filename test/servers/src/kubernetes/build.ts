import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runLogged, type Progress } from '../progress.ts';
import { which } from '../system.ts';

/** Versions of the control plane; each keys its own cache folder. */
export const KUBERNETES_VERSION = '1.34.4';
/** Kubernetes 1.34 supports etcd 3.5 and 3.6; Debian's 3.4 is too old. */
export const ETCD_VERSION = '3.6.16';
export const KWOK_VERSION = '0.8.0';

/** The control-plane programs built from k8s.io/kubernetes. */
export const KUBE_BINARIES = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const;
export type KubeBinary = (typeof KUBE_BINARIES)[number];

/**
 * KWOK stages, as shipped in the kwok module: fast node start, lease-based heartbeat, pods Ready at once
 * (Job pods run to completion) and immediate deletion of terminating pods.
 */
export const KWOK_STAGE_FILES = [
  'kustomize/stage/node/fast/node-initialize.yaml',
  'kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
  'kustomize/stage/pod/fast/pod-ready.yaml',
  'kustomize/stage/pod/fast/pod-complete.yaml',
  'kustomize/stage/pod/fast/pod-delete.yaml',
  // Test support (operator suites): a pod labelled pod-container-running-failed.stage.kwok.x-k8s.io=true
  // fails with exit code 1, so a test can make a Job fail on purpose. Nothing carries that label otherwise.
  'kustomize/stage/pod/chaos/pod-container-running-failed.yaml',
] as const;

/** Where one component's wrapper module (`src`) and binaries (`bin`) are cached. */
export interface ComponentDirs {
  root: string;
  src: string;
  bin: string;
}

export function componentDirs(cacheDir: string, component: 'kubernetes' | 'etcd' | 'kwok', version: string): ComponentDirs {
  const root = join(cacheDir, `${component}-v${version}`);
  return { root, src: join(root, 'src'), bin: join(root, 'bin') };
}

/** Files of the cache once every component is built. */
export interface Binaries {
  etcd: string;
  kwok: string;
  /** Stage configuration handed to kwok. */
  kwokStages: string;
  kube: Record<KubeBinary, string>;
}

export function binaries(cacheDir: string): Binaries {
  const kube = componentDirs(cacheDir, 'kubernetes', KUBERNETES_VERSION).bin;
  const kwok = componentDirs(cacheDir, 'kwok', KWOK_VERSION);
  return {
    etcd: join(componentDirs(cacheDir, 'etcd', ETCD_VERSION).bin, 'etcd'),
    kwok: join(kwok.bin, 'kwok'),
    kwokStages: join(kwok.root, 'stages.yaml'),
    kube: Object.fromEntries(KUBE_BINARIES.map((b) => [b, join(kube, b)])) as Record<KubeBinary, string>,
  };
}

/**
 * The staging modules k8s.io/kubernetes replaces with its own folders (`k8s.io/api => ./staging/src/k8s.io/api`).
 * Outside its repository those replaces do not apply, so a wrapper must point each at its published copy.
 */
export function stagingModules(kubernetesGoMod: string): string[] {
  const modules = new Set<string>();
  for (const match of kubernetesGoMod.matchAll(/^\s*(?:replace\s+)?(k8s\.io\/[A-Za-z0-9._-]+)\s*=>\s*\.\/staging\//gm)) {
    modules.add(match[1]!);
  }
  return [...modules].sort();
}

/** Staging modules are published as k8s.io/<m> v0.<minor>.<patch> for Kubernetes v1.<minor>.<patch>. */
export function stagingVersion(kubernetesVersion: string): string {
  const [major, minor, patch] = kubernetesVersion.split('.');
  if (major !== '1' || minor === undefined || patch === undefined) throw new Error(`unexpected Kubernetes version ${kubernetesVersion}`);
  return `v0.${minor}.${patch}`;
}

/** go.mod of the wrapper that builds the control plane from k8s.io/kubernetes. */
export function kubernetesWrapperGoMod(kubernetesVersion: string, staging: readonly string[]): string {
  const published = stagingVersion(kubernetesVersion);
  return [
    'module lern.local/kubernetes-control-plane',
    '',
    'go 1.24.0',
    '',
    // The same runtime defaults Kubernetes itself is built with.
    'godebug default=go1.24',
    '',
    `require k8s.io/kubernetes v${kubernetesVersion}`,
    '',
    'replace (',
    ...staging.map((m) => `\t${m} => ${m} ${published}`),
    ')',
    '',
    'tool (',
    ...KUBE_BINARIES.map((b) => `\tk8s.io/kubernetes/cmd/${b}`),
    ')',
    '',
  ].join('\n');
}

/** Version stamps `kube-apiserver --version` and the /version endpoint report. */
export function kubernetesLdflags(kubernetesVersion: string): string {
  const [major, minor] = kubernetesVersion.split('.');
  const pkg = 'k8s.io/component-base/version';
  return [
    '-s',
    '-w',
    `-X ${pkg}.gitVersion=v${kubernetesVersion}`,
    `-X ${pkg}.gitMajor=${major}`,
    `-X ${pkg}.gitMinor=${minor}`,
    `-X ${pkg}.gitTreeState=clean`,
  ].join(' ');
}

export function etcdWrapperGoMod(etcdVersion: string): string {
  return ['module lern.local/etcd-server', '', 'go 1.24.0', '', `require go.etcd.io/etcd/server/v3 v${etcdVersion}`, ''].join('\n');
}

export const ETCD_WRAPPER_MAIN = `// Command etcd runs the etcd server, exactly as the upstream etcd binary does.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
`;

/** The Go toolchain: on PATH, or where the official tarball installs it. */
export function goCommand(): string {
  const found = which('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!found) throw new Error(`the Kubernetes test cluster is built from source and needs Go 1.26+ (etcd v${ETCD_VERSION} requires it); install it from https://go.dev/dl (e.g. into /usr/local/go)`);
  return found;
}

/**
 * Build environment: the machine's module and build caches (reused across versions and checkouts),
 * static binaries, and the installed toolchain only (no toolchain download behind one's back).
 */
function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false' };
}

function writeIfChanged(file: string, text: string): void {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
  writeFileSync(file, text);
}

/** Builds one main package to `output`, through a temporary name so an interrupted build leaves nothing half-written. */
async function goBuild(go: string, cwd: string, pkg: string, output: string, ldflags: string, logFile: string): Promise<void> {
  const partial = `${output}.partial`;
  rmSync(partial, { force: true });
  await runLogged(go, ['build', '-trimpath', '-ldflags', ldflags, '-o', partial, pkg], { cwd, env: goEnv(), logFile });
  renameSync(partial, output);
}

/** Where the module cache keeps a module's go.mod and unpacked files, downloading them when missing. */
async function goModDownload(go: string, module: string): Promise<{ GoMod: string; Dir: string }> {
  try {
    const { stdout } = await promisify(execFile)(go, ['mod', 'download', '-json', module], { env: goEnv(), encoding: 'utf8', maxBuffer: 1 << 20 });
    return JSON.parse(stdout) as { GoMod: string; Dir: string };
  } catch (error) {
    throw new Error(`go mod download ${module} failed (is the Go module proxy reachable?): ${(error as Error).message}`, { cause: error });
  }
}

export async function buildEtcd(cacheDir: string, progress: Progress, logFile: string): Promise<void> {
  const target = binaries(cacheDir).etcd;
  if (existsSync(target)) return;
  const go = goCommand();
  const dirs = componentDirs(cacheDir, 'etcd', ETCD_VERSION);
  mkdirSync(dirs.src, { recursive: true });
  mkdirSync(dirs.bin, { recursive: true });
  writeIfChanged(join(dirs.src, 'go.mod'), etcdWrapperGoMod(ETCD_VERSION));
  writeIfChanged(join(dirs.src, 'main.go'), ETCD_WRAPPER_MAIN);
  await progress.step(`kubernetes: building etcd v${ETCD_VERSION}`, async () => {
    await runLogged(go, ['mod', 'tidy'], { cwd: dirs.src, env: goEnv(), logFile });
    await goBuild(go, dirs.src, '.', target, '-s -w', logFile);
  });
}

export async function buildKwok(cacheDir: string, progress: Progress, logFile: string): Promise<void> {
  const files = binaries(cacheDir);
  const stagesCurrent = (): boolean => KWOK_STAGE_FILES.every((f) => readFileSync(files.kwokStages, 'utf8').includes(f));
  if (existsSync(files.kwok) && existsSync(files.kwokStages) && stagesCurrent()) return;
  const go = goCommand();
  const dirs = componentDirs(cacheDir, 'kwok', KWOK_VERSION);
  mkdirSync(dirs.bin, { recursive: true });
  if (!existsSync(files.kwok)) {
    await progress.step(`kubernetes: building kwok v${KWOK_VERSION}`, () =>
      runLogged(go, ['install', '-trimpath', '-ldflags', '-s -w', `sigs.k8s.io/kwok/cmd/kwok@v${KWOK_VERSION}`], {
        env: { ...goEnv(), GOBIN: dirs.bin },
        logFile,
      }),
    );
  }
  // Keep the stages next to the binary, so a cleaned module cache does not break a warm start.
  const moduleDir = (await goModDownload(go, `sigs.k8s.io/kwok@v${KWOK_VERSION}`)).Dir;
  const stages = KWOK_STAGE_FILES.map((f) => {
    const file = join(moduleDir, f);
    if (!existsSync(file)) throw new Error(`kwok v${KWOK_VERSION} does not ship ${f}`);
    return `# from sigs.k8s.io/kwok@v${KWOK_VERSION}/${f}\n${readFileSync(file, 'utf8').replace(/^---\s*\n/, '').trimEnd()}\n`;
  });
  writeFileSync(`${files.kwokStages}.partial`, stages.join('---\n'));
  renameSync(`${files.kwokStages}.partial`, files.kwokStages);
}

export async function buildKubernetes(cacheDir: string, progress: Progress, logFile: string): Promise<void> {
  const files = binaries(cacheDir);
  const missing = KUBE_BINARIES.filter((b) => !existsSync(files.kube[b]));
  if (missing.length === 0) return;
  const go = goCommand();
  const dirs = componentDirs(cacheDir, 'kubernetes', KUBERNETES_VERSION);
  mkdirSync(dirs.src, { recursive: true });
  mkdirSync(dirs.bin, { recursive: true });
  const upstreamGoMod = readFileSync((await goModDownload(go, `k8s.io/kubernetes@v${KUBERNETES_VERSION}`)).GoMod, 'utf8');
  const staging = stagingModules(upstreamGoMod);
  if (staging.length === 0) throw new Error(`found no staging modules in the go.mod of k8s.io/kubernetes v${KUBERNETES_VERSION}`);
  writeIfChanged(join(dirs.src, 'go.mod'), kubernetesWrapperGoMod(KUBERNETES_VERSION, staging));
  await progress.step(`kubernetes: resolving the modules of k8s.io/kubernetes v${KUBERNETES_VERSION}`, () =>
    runLogged(go, ['mod', 'tidy'], { cwd: dirs.src, env: goEnv(), logFile }),
  );
  const ldflags = kubernetesLdflags(KUBERNETES_VERSION);
  for (const binary of missing) {
    await progress.step(`kubernetes: building ${binary} v${KUBERNETES_VERSION} (first time only; several minutes)`, () =>
      goBuild(go, dirs.src, `k8s.io/kubernetes/cmd/${binary}`, files.kube[binary], ldflags, logFile),
    );
  }
}
