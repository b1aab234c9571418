import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { nodeIsReady } from '../src/kubernetes/api.ts';
import { kubernetesLdflags, kubernetesWrapperGoMod, stagingModules, stagingVersion } from '../src/kubernetes/build.ts';
import { apiServerArgs, clusterLayout, etcdArgs, fakeNode, kwokArgs } from '../src/kubernetes/cluster.ts';
import { kubeconfigText, pkiPaths, tokenFileText } from '../src/kubernetes/pki.ts';
import { DEFAULT_PORTS } from '../src/ports.ts';

const upstreamGoMod = `module k8s.io/kubernetes

go 1.24.0

require (
	github.com/blang/semver/v4 v4.0.0
	k8s.io/api v0.0.0
	k8s.io/apiserver v0.0.0
)

replace (
	k8s.io/api => ./staging/src/k8s.io/api
	k8s.io/apiserver => ./staging/src/k8s.io/apiserver
	k8s.io/cri-api => ./staging/src/k8s.io/cri-api
)

replace k8s.io/kms => ./staging/src/k8s.io/kms
replace github.com/example/fork => github.com/example/fork v1.2.3
`;

describe('control-plane wrapper module', () => {
  it('finds every staging replace, in block and single-line form, and nothing else', () => {
    expect(stagingModules(upstreamGoMod)).toEqual(['k8s.io/api', 'k8s.io/apiserver', 'k8s.io/cri-api', 'k8s.io/kms']);
  });

  it('maps a Kubernetes version to the published staging version', () => {
    expect(stagingVersion('1.34.4')).toBe('v0.34.4');
    expect(() => stagingVersion('2.0')).toThrow(/unexpected Kubernetes version/);
  });

  it('replaces each staging module with its published copy and names the programs as tools', () => {
    const goMod = kubernetesWrapperGoMod('1.34.4', ['k8s.io/api', 'k8s.io/kms']);
    expect(goMod).toContain('require k8s.io/kubernetes v1.34.4');
    expect(goMod).toContain('\tk8s.io/api => k8s.io/api v0.34.4\n');
    expect(goMod).toContain('\tk8s.io/kms => k8s.io/kms v0.34.4\n');
    expect(goMod).toContain('\tk8s.io/kubernetes/cmd/kube-apiserver\n');
    expect(goMod).toContain('\tk8s.io/kubernetes/cmd/kube-scheduler\n');
  });

  it('stamps the version into the binaries', () => {
    const flags = kubernetesLdflags('1.34.4');
    expect(flags).toContain('-X k8s.io/component-base/version.gitVersion=v1.34.4');
    expect(flags).toContain('-X k8s.io/component-base/version.gitMajor=1');
    expect(flags).toContain('-X k8s.io/component-base/version.gitMinor=34');
  });
});

describe('cluster configuration', () => {
  const layout = clusterLayout('/data/kubernetes');
  const pki = { ...pkiPaths('/data/kubernetes'), tokens: { admin: 'a', controllerManager: 'c', scheduler: 's', kwok: 'k' } };

  it('writes a token file with the admin in system:masters', () => {
    const lines = tokenFileText(pki.tokens).trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('a,lern-admin,lern-admin,"system:masters"');
  });

  it('writes a kubeconfig a client can read', () => {
    const config = parse(kubeconfigText('https://127.0.0.1:16443', 'PEM', 'lern-admin', 'tok')) as {
      clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { user: { token: string } }[];
      'current-context': string;
    };
    expect(config.clusters[0]!.cluster.server).toBe('https://127.0.0.1:16443');
    expect(Buffer.from(config.clusters[0]!.cluster['certificate-authority-data'], 'base64').toString()).toBe('PEM');
    expect(config.users[0]!.user.token).toBe('tok');
    expect(config['current-context']).toBe('lern');
  });

  it('binds etcd and the API server to loopback, with RBAC', () => {
    expect(etcdArgs(layout, DEFAULT_PORTS)).toContain('--listen-client-urls=http://127.0.0.1:12379');
    expect(etcdArgs(layout, DEFAULT_PORTS)).toContain('--unsafe-no-fsync');
    const api = apiServerArgs(layout, pki, DEFAULT_PORTS);
    expect(api).toContain('--bind-address=127.0.0.1');
    expect(api).toContain('--secure-port=16443');
    expect(api).toContain('--authorization-mode=RBAC');
    expect(api).toContain('--etcd-servers=http://127.0.0.1:12379');
  });

  it('lets KWOK manage exactly the annotated fake node', () => {
    const node = fakeNode() as { metadata: { annotations: Record<string, string> }; spec: Record<string, unknown> };
    expect(node.metadata.annotations['kwok.x-k8s.io/node']).toBe('fake');
    expect(node.spec.taints).toBeUndefined();
    expect(kwokArgs(layout, DEFAULT_PORTS, '/stages.yaml')).toContain('--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake');
  });

  it('reads the Ready condition of a node', () => {
    expect(nodeIsReady(JSON.stringify({ status: { conditions: [{ type: 'Ready', status: 'True' }] } }))).toBe(true);
    expect(nodeIsReady(JSON.stringify({ status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }))).toBe(false);
    expect(nodeIsReady('{"status":{}}')).toBe(false);
    expect(nodeIsReady('not json')).toBe(false);
  });
});
