/**
 * `lern <command>`: one program starts any part of Lern. Each command's module is loaded only when
 * it is run, so `lern servers` does not pay for the operator's or a service's dependencies.
 */
interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

const commands: Record<string, Command> = {
  servers: {
    summary: 'obtain, start, check and stop the real servers (Cassandra, Kafka, Elasticsearch, OpenSearch, Redis, PostgreSQL, Kubernetes)',
    run: async (argv) => (await import('@lern/test-servers')).serversCommand(argv),
  },
  doctor: {
    summary: 'check (and as root install) what the tests and `lern servers` need from this machine',
    run: async (argv) => (await import('@lern/test-servers')).doctorCommand(argv),
  },
  service: {
    summary: 'run a Lern service (userorg, ...) on LERN_HTTP_PORT',
    run: async (argv) => (await import('../../services/registry.ts')).serviceCommand(argv),
  },
  job: {
    summary: 'run a Lern job (a Kafka consumer: user-deletion-cleanup, ...) with probes and metrics on LERN_HTTP_PORT',
    run: async (argv) => (await import('../../jobs/registry.ts')).jobCommand(argv),
  },
  reindex: {
    summary: 'rebuild search documents from Cassandra: lern reindex [user] [organisation] [location] (User-Org), lern reindex lms [batch]',
    run: async (argv) => (argv[0] === 'lms' ? (await import('@lern/lms')).reindexCommand(argv.slice(1)) : (await import('@lern/userorg')).reindexCommand(argv)),
  },
  migrate: {
    summary: 'apply migrations: lern migrate <cassandra|search|kafka> [--services a,b] [--jobs c]',
    run: async (argv) => {
      // The catalogue module carries no Kubernetes code; the kit gets the runnable names from here.
      const [{ migrateCommand, repoRoot }, { RUNNABLE_SERVICES, RUNNABLE_JOBS }] = await Promise.all([import('@lern/kit'), import('@lern/operator/components')]);
      return migrateCommand(argv, process.env, repoRoot(), { services: RUNNABLE_SERVICES, jobs: RUNNABLE_JOBS });
    },
  },
  operator: {
    summary: 'run the Lern operator (reconciles LernInstallations); `lern operator crd` prints the CRD',
    run: async (argv) => (await import('@lern/operator')).operatorCommand(argv),
  },
  up: {
    summary: 'bring up a local Lern: control plane, CRD, operator and examples/minimal.yaml, shown until Ready',
    run: async (argv) =>
      (await import('@lern/operator')).upCommand(argv, {
        ensureServers: async () => {
          const { ServerManager } = await import('@lern/test-servers');
          const manager = new ServerManager();
          await manager.up(['kubernetes']);
          return manager.env(['kubernetes']);
        },
      }),
  },
};

export function help(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return `Usage: lern <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  .join('\n')}

Run 'lern <command> --help' for a command's options.
`;
}

export async function main(argv: string[]): Promise<number> {
  // `lern servers status | head -1` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`lern: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    process.stderr.write(`lern ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
