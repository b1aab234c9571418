import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLogged } from '../progress.ts';
import { which } from '../system.ts';

/** Identities of the control plane; each gets its own bearer token in the API server's token file. */
export const IDENTITIES = {
  admin: { user: 'lern-admin', groups: ['system:masters'] },
  controllerManager: { user: 'system:kube-controller-manager', groups: ['system:masters'] },
  scheduler: { user: 'system:kube-scheduler', groups: ['system:masters'] },
  kwok: { user: 'kwok-controller', groups: ['system:masters'] },
} as const;
export type Identity = keyof typeof IDENTITIES;

/** Files of the cluster's credentials, generated once per data folder and kept across restarts. */
export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  /** RSA key that signs and verifies service account tokens. */
  serviceAccountKey: string;
  tokenFile: string;
  /** Bearer token per identity (read from `tokens.json`). */
  tokens: Record<Identity, string>;
}

export function pkiPaths(dataDir: string): Omit<Pki, 'tokens'> & { tokensJson: string } {
  const dir = join(dataDir, 'pki');
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    servingCert: join(dir, 'apiserver.crt'),
    servingKey: join(dir, 'apiserver.key'),
    serviceAccountKey: join(dir, 'service-account.key'),
    tokenFile: join(dir, 'tokens.csv'),
    tokensJson: join(dir, 'tokens.json'),
  };
}

/** Names the serving certificate answers to: loopback and the in-cluster names of the `kubernetes` Service. */
export const SERVING_NAMES = [
  'IP:127.0.0.1',
  'IP:10.0.0.1',
  'DNS:localhost',
  'DNS:kubernetes',
  'DNS:kubernetes.default',
  'DNS:kubernetes.default.svc',
  'DNS:kubernetes.default.svc.cluster.local',
] as const;

/** The API server's `--token-auth-file`: `token,user,uid,"group1,group2"` per line. */
export function tokenFileText(tokens: Record<Identity, string>): string {
  return (Object.keys(IDENTITIES) as Identity[])
    .map((id) => `${tokens[id]},${IDENTITIES[id].user},${IDENTITIES[id].user},"${IDENTITIES[id].groups.join(',')}"`)
    .join('\n')
    .concat('\n');
}

/** A kubeconfig with one cluster, one token user and one context. */
export function kubeconfigText(server: string, caPem: string, user: string, token: string): string {
  const ca = Buffer.from(caPem).toString('base64');
  return `apiVersion: v1
kind: Config
clusters:
- name: lern
  cluster:
    server: ${server}
    certificate-authority-data: ${ca}
users:
- name: ${user}
  user:
    token: ${token}
contexts:
- name: lern
  context:
    cluster: lern
    user: ${user}
current-context: lern
`;
}

/**
 * Creates the CA, the API server's serving certificate, the service-account key and the tokens, unless
 * they exist (a restart keeps them, so tokens and service-account tokens stored in etcd stay valid).
 */
export async function ensurePki(dataDir: string, logFile: string): Promise<Pki> {
  const p = pkiPaths(dataDir);
  mkdirSync(p.dir, { recursive: true, mode: 0o700 });
  const openssl = which('openssl');
  const run = async (args: string[]): Promise<void> => {
    if (!openssl) throw new Error('openssl is needed to create the test cluster certificates; install it with: apt-get install -y openssl');
    await runLogged(openssl, args, { logFile });
  };
  if (!existsSync(p.caCert) || !existsSync(p.caKey)) {
    rmSync(p.servingCert, { force: true });
    await run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p.caKey, '-out', `${p.caCert}.partial`, '-days', '3650',
      '-subj', '/CN=lern-test-cluster-ca', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature']);
    renameSync(`${p.caCert}.partial`, p.caCert);
  }
  if (!existsSync(p.servingCert) || !existsSync(p.servingKey)) {
    await run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p.servingKey, '-out', `${p.servingCert}.partial`, '-days', '3650',
      '-CA', p.caCert, '-CAkey', p.caKey, '-subj', '/CN=kube-apiserver',
      '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment',
      '-addext', 'extendedKeyUsage=serverAuth', '-addext', `subjectAltName=${SERVING_NAMES.join(',')}`]);
    renameSync(`${p.servingCert}.partial`, p.servingCert);
  }
  if (!existsSync(p.serviceAccountKey)) {
    await run(['genrsa', '-out', `${p.serviceAccountKey}.partial`, '2048']);
    renameSync(`${p.serviceAccountKey}.partial`, p.serviceAccountKey);
  }
  let tokens: Record<Identity, string>;
  if (existsSync(p.tokensJson)) {
    tokens = JSON.parse(readFileSync(p.tokensJson, 'utf8')) as Record<Identity, string>;
  } else {
    tokens = Object.fromEntries((Object.keys(IDENTITIES) as Identity[]).map((id) => [id, randomBytes(24).toString('hex')])) as Record<Identity, string>;
    writeFileSync(p.tokensJson, JSON.stringify(tokens, null, 2), { mode: 0o600 });
  }
  writeFileSync(p.tokenFile, tokenFileText(tokens), { mode: 0o600 });
  return { ...p, tokens };
}

/** The admin token, when the cluster's credentials exist. */
export function readAdminToken(dataDir: string): string | undefined {
  const file = pkiPaths(dataDir).tokensJson;
  if (!existsSync(file)) return undefined;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<Identity, string>>).admin;
  } catch {
    return undefined;
  }
}
