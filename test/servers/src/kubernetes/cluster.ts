import { join } from 'node:path';
import type { Ports } from '../ports.ts';
import type { Pki } from './pki.ts';

/** The one fake worker KWOK keeps alive; pods are scheduled onto it and driven through their phases. */
export const FAKE_NODE_NAME = 'lern-worker-0';
/** KWOK manages nodes carrying this annotation (and only those). */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';
/** Pod addresses KWOK hands out; apart from the Service range so the two never look alike. */
export const POD_CIDR = '10.244.0.0/24';
/** A /16, so a cluster can hold hundreds of installations' Services (a /24 holds about 250). */
export const SERVICE_CIDR = '10.0.0.0/16';

/** Where the cluster's files live inside its data folder. */
export interface ClusterLayout {
  dataDir: string;
  etcdData: string;
  /** Admin kubeconfig, the one `KUBECONFIG` points at. */
  adminKubeconfig: string;
  controllerManagerKubeconfig: string;
  schedulerKubeconfig: string;
  kwokKubeconfig: string;
  /** Folders where the API server, controller manager and scheduler keep self-generated serving certificates. */
  certDirs: { apiserver: string; controllerManager: string; scheduler: string };
}

export function clusterLayout(dataDir: string): ClusterLayout {
  const config = join(dataDir, 'config');
  return {
    dataDir,
    etcdData: join(dataDir, 'etcd'),
    adminKubeconfig: join(dataDir, 'kubeconfig'),
    controllerManagerKubeconfig: join(config, 'controller-manager.kubeconfig'),
    schedulerKubeconfig: join(config, 'scheduler.kubeconfig'),
    kwokKubeconfig: join(config, 'kwok.kubeconfig'),
    certDirs: {
      apiserver: join(dataDir, 'certs', 'apiserver'),
      controllerManager: join(dataDir, 'certs', 'controller-manager'),
      scheduler: join(dataDir, 'certs', 'scheduler'),
    },
  };
}

export const apiServerUrl = (ports: Ports): string => `https://127.0.0.1:${ports.kubeApiserver}`;

/** A single-member etcd on loopback; without fsync, since test data need not survive a power cut. */
export function etcdArgs(layout: ClusterLayout, ports: Ports): string[] {
  const client = `http://127.0.0.1:${ports.etcd}`;
  const peer = `http://127.0.0.1:${ports.etcdPeer}`;
  return [
    '--name=lern',
    `--data-dir=${layout.etcdData}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=lern=${peer}`,
    '--initial-cluster-state=new',
    '--unsafe-no-fsync',
    '--log-level=warn',
  ];
}

/**
 * API server flags in the manner of controller-runtime's envtest, with RBAC on (so permission checks
 * in tests mean something) and token authentication from a file.
 */
export function apiServerArgs(layout: ClusterLayout, pki: Pki, ports: Ports): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${ports.etcd}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${ports.kubeApiserver}`,
    `--cert-dir=${layout.certDirs.apiserver}`,
    `--tls-cert-file=${pki.servingCert}`,
    `--tls-private-key-file=${pki.servingKey}`,
    `--client-ca-file=${pki.caCert}`,
    `--token-auth-file=${pki.tokenFile}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki.serviceAccountKey}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    '--authorization-mode=RBAC',
    '--allow-privileged=true',
    // No kubelets and one API server: nothing to publish as endpoints of the `kubernetes` Service.
    '--endpoint-reconciler-type=none',
    '--profiling=false',
  ];
}

/**
 * The controller manager with its default controllers (deployment, replicaset, job, namespace, garbage
 * collector, service account and token, node lifecycle, ...), serving /healthz on loopback. No delegated
 * authentication: its port serves only the always-allowed health paths.
 */
export function controllerManagerArgs(layout: ClusterLayout, pki: Pki, ports: Ports): string[] {
  return [
    `--kubeconfig=${layout.controllerManagerKubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${ports.kubeControllerManager}`,
    `--cert-dir=${layout.certDirs.controllerManager}`,
    '--leader-elect=false',
    `--service-account-private-key-file=${pki.serviceAccountKey}`,
    `--root-ca-file=${pki.caCert}`,
    `--cluster-signing-cert-file=${pki.caCert}`,
    `--cluster-signing-key-file=${pki.caKey}`,
    '--profiling=false',
  ];
}

export function schedulerArgs(layout: ClusterLayout, ports: Ports): string[] {
  return [
    `--kubeconfig=${layout.schedulerKubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${ports.kubeScheduler}`,
    `--cert-dir=${layout.certDirs.scheduler}`,
    '--leader-elect=false',
    '--profiling=false',
  ];
}

/** KWOK manages only the annotated fake node and the pods bound to it, with the given stages. */
export function kwokArgs(layout: ClusterLayout, ports: Ports, stagesFile: string): string[] {
  return [
    `--kubeconfig=${layout.kwokKubeconfig}`,
    `--config=${stagesFile}`,
    `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
    `--cidr=${POD_CIDR}`,
    '--node-ip=127.0.0.1',
    `--server-address=127.0.0.1:${ports.kwok}`,
    '--node-lease-duration-seconds=40',
  ];
}

/**
 * The fake worker: annotated for KWOK, untainted (workloads need no toleration), with capacity to spare
 * for every suite's pods at once.
 */
export function fakeNode(): Record<string, unknown> {
  const resources = { cpu: '64', memory: '256Gi', pods: '1000', 'ephemeral-storage': '1Ti' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: FAKE_NODE_NAME,
      annotations: { [KWOK_NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': FAKE_NODE_NAME,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node-role.kubernetes.io/worker': '',
        type: 'kwok',
      },
    },
    spec: { podCIDR: POD_CIDR, podCIDRs: [POD_CIDR] },
    status: { allocatable: resources, capacity: resources },
  };
}
