import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors as joseErrors, importSPKI, jwtVerify, type JWTPayload, type JWTHeaderParameters, type CryptoKey } from 'jose';
import { LernError, DEFAULT_ERROR_CODES, MESSAGES } from './errors.ts';

/** Role names used by Lern routes (upstream role ids). */
export const ROLES = {
  PUBLIC: 'PUBLIC',
  ORG_ADMIN: 'ORG_ADMIN',
  SYSTEM_ADMINISTRATION: 'SYSTEM_ADMINISTRATION',
  CONTENT_CREATOR: 'CONTENT_CREATOR',
  CONTENT_REVIEWER: 'CONTENT_REVIEWER',
  COURSE_MENTOR: 'COURSE_MENTOR',
  COURSE_CREATOR: 'COURSE_CREATOR',
  BOOK_CREATOR: 'BOOK_CREATOR',
  BOOK_REVIEWER: 'BOOK_REVIEWER',
  ORG_MODERATOR: 'ORG_MODERATOR',
  REPORT_VIEWER: 'REPORT_VIEWER',
  REPORT_ADMIN: 'REPORT_ADMIN',
  PROGRAM_MANAGER: 'PROGRAM_MANAGER',
  PROGRAM_DESIGNER: 'PROGRAM_DESIGNER',
} as const;

/** Who may call a route: no token needed, any valid token, or a valid token with one of the roles. */
export type Access = 'PUBLIC' | 'AUTHENTICATED' | readonly string[];

/** The verified caller of a request. */
export interface AuthContext {
  /** The requester: the part of the token's `sub` after the last ':'. */
  userId: string;
  /** The managed (child) user when `x-authenticated-for` carried a valid token for them. */
  managedFor?: string;
  /** `managedFor ?? userId`: whose data the request is about. */
  effectiveUserId: string;
  /** From the service's resolveRoles; empty when not resolved. */
  roles: readonly string[];
  /** The verified claims of the user token. */
  token: JWTPayload;
}

/** Verifies tokens offline; usable outside fastify. Failures throw a 401 LernError. */
export interface TokenVerifier {
  /** RS256 signature by `kid`, `exp`, `iss`; returns the user id from `sub`. */
  verifyUserToken(token: string): Promise<{ userId: string; claims: JWTPayload }>;
  /** A managed-user token: signature and `exp`; its `parentId` must be parentUserId. Returns the child's id (`sub`). */
  verifyManagedToken(token: string, parentUserId: string): Promise<string>;
}

/** Options of createTokenVerifier. */
export interface TokenVerifierOptions {
  /** Folder of PEM SPKI public keys; file name = kid. */
  keysDir: string;
  /** Expected `iss` of user tokens. */
  issuer: string;
  /** @default 0 */
  clockToleranceSec?: number;
  /** Minimum time between re-reads of the key folder on an unknown kid. @default 10000 */
  reloadIntervalMs?: number;
  /** err code of the 401s. @default 'UNAUTHORIZED_USER' */
  unauthorizedCode?: string;
}

/** Upstream Keycloak subjects look like `f:<provider-id>:<userId>`; plain ids pass through. */
export function userIdFromSubject(sub: string): string {
  const at = sub.lastIndexOf(':');
  return at === -1 ? sub : sub.slice(at + 1);
}

/** Strips an optional `Bearer ` prefix. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined) return undefined;
  const token = raw.replace(/^Bearer\s+/i, '').trim();
  return token === '' ? undefined : token;
}

/** True when the user holds one of the roles a route allows. */
export function hasAnyRole(userRoles: readonly string[], allowed: readonly string[]): boolean {
  return allowed.some((role) => userRoles.includes(role));
}

async function readKeys(dir: string): Promise<Map<string, CryptoKey>> {
  const keys = new Map<string, CryptoKey>();
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const pem = (await readFile(join(dir, entry.name), 'utf8')).trim();
    // A folder may hold other files (a Secret's metadata); only PEM public keys count.
    if (!pem.includes('BEGIN PUBLIC KEY')) continue;
    keys.set(entry.name, await importSPKI(pem, 'RS256'));
  }
  return keys;
}

/** Loads the keys of `keysDir` and returns a verifier; an unknown kid re-reads the folder (key rotation). */
export async function createTokenVerifier(options: TokenVerifierOptions): Promise<TokenVerifier> {
  const reloadIntervalMs = options.reloadIntervalMs ?? 10_000;
  const code = options.unauthorizedCode ?? DEFAULT_ERROR_CODES.unauthorized;
  let keys = await readKeys(options.keysDir);
  let loadedAt = Date.now();
  const reject = (reason: string, cause?: unknown): LernError => {
    const error = new LernError('UNAUTHORIZED', code, MESSAGES.unAuthorized, { cause });
    (error as { reason?: string }).reason = reason;
    return error;
  };

  const keyFor = async (header: JWTHeaderParameters): Promise<CryptoKey> => {
    const kid = header.kid;
    if (kid === undefined) throw reject('token has no kid');
    let key = keys.get(kid);
    if (key === undefined && Date.now() - loadedAt >= reloadIntervalMs) {
      keys = await readKeys(options.keysDir);
      loadedAt = Date.now();
      key = keys.get(kid);
    }
    if (key === undefined) throw reject(`unknown kid ${kid}`);
    return key;
  };

  const verify = async (token: string, issuer: string | undefined): Promise<JWTPayload> => {
    try {
      const { payload } = await jwtVerify(token, keyFor, {
        algorithms: ['RS256'],
        issuer,
        clockTolerance: options.clockToleranceSec ?? 0,
        requiredClaims: ['exp', 'sub'],
      });
      return payload;
    } catch (error) {
      if (error instanceof LernError) throw error;
      if (error instanceof joseErrors.JOSEError) throw reject(error.code, error);
      throw reject('malformed token', error);
    }
  };

  return {
    async verifyUserToken(token) {
      const claims = await verify(token, options.issuer);
      const userId = userIdFromSubject(claims.sub ?? '');
      if (userId === '') throw reject('empty subject');
      return { userId, claims };
    },
    async verifyManagedToken(token, parentUserId) {
      // Managed-user tokens are minted by the platform, not the identity provider: no issuer check.
      const claims = await verify(token, undefined);
      const parentId = typeof claims.parentId === 'string' ? claims.parentId : undefined;
      if (parentId === undefined || userIdFromSubject(parentId) !== parentUserId) throw reject('for-token parentId does not match the requester');
      const child = userIdFromSubject(claims.sub ?? '');
      if (child === '') throw reject('empty subject in for-token');
      return child;
    },
  };
}
