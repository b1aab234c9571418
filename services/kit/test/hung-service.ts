/**
 * A service whose shutdown cannot finish on its own, run as a child process by listen.int.test.ts:
 * a request that never gets an answer and a close hook that never returns (as a connector whose
 * server stopped answering). Prints `ready` once both ports listen, `hung` once the request arrived.
 */
import { defineService, runService } from '../src/index.ts';

const service = defineService({
  name: 'hung',
  connectors: [],
  register(app) {
    app.addHook('onClose', () => new Promise<void>(() => undefined));
    app.get('/v1/hang', () => {
      process.stdout.write('hung\n');
      return new Promise<never>(() => undefined);
    });
  },
});

await runService(service);
process.stdout.write('ready\n');
