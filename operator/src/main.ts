/**
 * `lern operator`: runs the operator until SIGTERM/SIGINT.
 * `lern operator crd`: prints the CRD YAML.  `lern operator install-crd`: applies it.
 */
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { lernInstallationCrdYaml } from './api/crd.ts';
import { installCrd } from './install.ts';
import { KubeApi } from './reconcile/kube.ts';
import { Operator } from './operator.ts';

/** Help text of `lern operator`. */
export const OPERATOR_HELP = `Usage: lern operator [run] [options]
       lern operator crd            print the LernInstallation CRD (YAML)
       lern operator install-crd    apply the CRD to the cluster of KUBECONFIG

Options:
  --namespace <ns>          watch one namespace only (LERN_OPERATOR_WATCH_NAMESPACE; default: all)
  --metrics-port <port>     port of /metrics, /healthz, /readyz (LERN_OPERATOR_METRICS_PORT; default 8080)
  --lease-namespace <ns>    namespace of the leader election Lease (LERN_OPERATOR_LEASE_NAMESPACE or POD_NAMESPACE; default "default")
  --no-leader-elect         act without leader election (only ever run one replica then)
  --workers <n>             parallel reconciles (default 4)
  --install-crd             apply the CRD before starting
`;

function loadKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromDefault();
  return kc;
}

/** Entry point of `lern operator`. */
export async function operatorCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      namespace: { type: 'string' },
      'metrics-port': { type: 'string' },
      'lease-namespace': { type: 'string' },
      'no-leader-elect': { type: 'boolean', default: false },
      workers: { type: 'string' },
      'install-crd': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const sub = positionals[0] ?? 'run';
  if (values.help) {
    process.stdout.write(OPERATOR_HELP);
    return 0;
  }
  if (sub === 'crd') {
    process.stdout.write(lernInstallationCrdYaml());
    return 0;
  }
  if (sub === 'install-crd') {
    await installCrd(new KubeApi(loadKubeConfig()));
    process.stdout.write('CRD lerninstallations.lern.sunbird.org applied and established\n');
    return 0;
  }
  if (sub !== 'run') {
    process.stderr.write(`lern operator: unknown subcommand '${sub}'\n\n${OPERATOR_HELP}`);
    return 2;
  }
  const kc = loadKubeConfig();
  if (values['install-crd']) await installCrd(new KubeApi(kc));
  const namespace = values.namespace ?? process.env.LERN_OPERATOR_WATCH_NAMESPACE;
  const leaseNamespace = values['lease-namespace'] ?? process.env.LERN_OPERATOR_LEASE_NAMESPACE ?? process.env.POD_NAMESPACE ?? 'default';
  const operator = new Operator({
    kubeConfig: kc,
    ...(namespace ? { namespace } : {}),
    metricsPort: Number(values['metrics-port'] ?? process.env.LERN_OPERATOR_METRICS_PORT ?? 8080),
    leaderElection: values['no-leader-elect'] ? false : { namespace: leaseNamespace, ...(process.env.POD_NAME ? { identity: process.env.POD_NAME } : {}) },
    workers: Number(values.workers ?? 4),
  });
  let stopping: Promise<void> | undefined;
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      operator.log.info({ signal }, 'stopping');
      stopping ??= operator.stop().then(resolve, resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await operator.start();
  await stopped;
  operator.log.info('stopped');
  return 0;
}
