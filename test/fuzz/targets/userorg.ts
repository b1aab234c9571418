/**
 * The User-Org service for the fuzzer: the suites' fixture (isolated keyspace, indices and topics,
 * migrations applied, its own signing key), listening on loopback, with a SYSTEM_ADMINISTRATION
 * grant seeded in the store for a caller whose token goes with every request.
 */
import { randomUUID } from 'node:crypto';
import { startFixture } from '../../../services/userorg/test/helpers.ts';
import type { FuzzTarget } from '../targets.ts';

/** Long enough for a manual run with many examples. */
const TOKEN_LIFETIME_SEC = 24 * 3600;

/** Starts User-Org on 127.0.0.1 (a free port) as an administrator's target. */
export async function startUserOrg(label: string): Promise<FuzzTarget> {
  const fixture = await startFixture(label);
  try {
    const admin = randomUUID();
    await fixture.grant(admin, 'SYSTEM_ADMINISTRATION', ['*']);
    const token = await fixture.token(admin, { expiresInSec: TOKEN_LIFETIME_SEC });
    return {
      baseUrl: fixture.publicUrl,
      headers: { 'x-authenticated-user-token': token },
      close: () => fixture.close(),
    };
  } catch (error) {
    await fixture.close();
    throw error;
  }
}
