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
