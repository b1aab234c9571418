export { ServerManager, parseServerNames, type ServerStatus, type ManagerOptions } from './manager.ts';
export { serversCommand, SERVERS_HELP } from './cli.ts';
export { resolvePaths, type Paths } from './paths.ts';
export { resolvePorts, DEFAULT_PORTS, type Ports } from './ports.ts';
export { SERVER_NAMES, type ServerName, type ServerDefinition } from './types.ts';
export { isolatedNames, createdAt, nameStamp, type IsolatedNames } from './names.ts';
export { doctorCommand, helmPath, HELM_VERSION } from './doctor.ts';
