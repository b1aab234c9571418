import { errors as joseErrors, jwtVerify, type JWTPayload, type JWTHeaderParameters, type CryptoKey } from 'jose';
import { LernError, DEFAULT_ERROR_CODES, MESSAGES } from './errors.ts';
import { watchKeyFolder } from './auth-keys.ts';

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
  /** RS256 signature by `kid`, `exp`, `iss` (and `aud` when configured); returns the user id from `sub`. */
  verifyUserToken(token: string): Promise<{ userId: string; claims: JWTPayload }>;
  /** A managed-user token: the same checks; its `parentId` must be parentUserId. Returns the child's id (`sub`). */
  verifyManagedToken(token: string, parentUserId: string): Promise<string>;
}

/** A verifier that re-reads its key folder on a timer; close() stops the timer. */
export interface ReloadingTokenVerifier extends TokenVerifier {
  close(): void;
}

/** Options of createTokenVerifier. */
export interface TokenVerifierOptions {
  /** Folder of PEM SPKI public keys, file name = kid; may be a mounted Kubernetes Secret. */
  keysDir: string;
  /** Expected `iss` of every token (user and managed-user). */
  issuer: string;
  /** Accepted `aud` values; a token must name one. Unset: `aud` is not checked. */
  audience?: string | readonly string[];
  /** Allowed clock skew for `exp`, `nbf`, `iat`. @default 5 */
  clockToleranceSec?: number;
  /** The folder is re-read this often, so removed keys stop working; 0 turns it off. @default 30000 */
  reloadIntervalMs?: number;
  /** Minimum time between the extra re-reads a token with an unknown kid triggers. @default 10000 */
  unknownKidReloadMs?: number;
  /** err code of the 401s. @default 'UNAUTHORIZED_USER' */
  unauthorizedCode?: string;
  /** Told about unreadable key files and failed re-reads. @default process.emitWarning */
  onKeyFolderProblem?: (message: string, error?: unknown) => void;
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

const warn = (message: string, error?: unknown): void =>
  process.emitWarning(error instanceof Error ? `${message}: ${error.message}` : message, 'LernAuthKeys');

/** Verified tokens remembered per process. */
const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

/**
 * Loads the keys of `keysDir` and returns a verifier. The folder is re-read every reloadIntervalMs
 * (a key removed from the Secret stops working) and, rate-limited, on an unknown kid (a new key
 * works at once). Every token is checked for signature, `exp`, `iss`, and `aud` when configured.
 */
export async function createTokenVerifier(options: TokenVerifierOptions): Promise<ReloadingTokenVerifier> {
  const unknownKidReloadMs = options.unknownKidReloadMs ?? 10_000;
  const code = options.unauthorizedCode ?? DEFAULT_ERROR_CODES.unauthorized;
  const ring = await watchKeyFolder(options.keysDir, { reloadIntervalMs: options.reloadIntervalMs ?? 30_000, onProblem: options.onKeyFolderProblem ?? warn });
  const audience = typeof options.audience === 'string' ? [options.audience] : options.audience ? [...options.audience] : undefined;
  const reject = (reason: string, cause?: unknown): LernError => {
    const error = new LernError('UNAUTHORIZED', code, MESSAGES.unAuthorized, { cause });
    (error as { reason?: string }).reason = reason;
    return error;
  };

  const keyFor = async (header: JWTHeaderParameters): Promise<CryptoKey> => {
    const kid = header.kid;
    if (kid === undefined) throw reject('token has no kid');
    let key = ring.get(kid);
    if (key === undefined) {
      await ring.reload(unknownKidReloadMs);
      key = ring.get(kid);
    }
    if (key === undefined) throw reject(`unknown kid ${kid}`);
    return key;
  };

  // A client sends the same token for many requests: a verified token is remembered until it expires
  // or its key leaves the folder, so each request does not redo the RSA check.
  const verified = new Map<string, { payload: JWTPayload; key: CryptoKey; kid: string; expiresAtMs: number }>();
  const remembered = (token: string): JWTPayload | undefined => {
    const hit = verified.get(token);
    if (hit === undefined) return undefined;
    if (hit.expiresAtMs <= Date.now() || ring.get(hit.kid) !== hit.key) {
      verified.delete(token);
      return undefined;
    }
    return hit.payload;
  };
  const remember = (token: string, payload: JWTPayload, kid: string | undefined): void => {
    const key = kid === undefined ? undefined : ring.get(kid);
    if (key === undefined || kid === undefined || typeof payload.exp !== 'number') return;
    if (verified.size >= VERIFIED_TOKEN_CACHE_SIZE) verified.delete(verified.keys().next().value!);
    verified.set(token, { payload, key, kid, expiresAtMs: payload.exp * 1000 });
  };

  const verify = async (token: string): Promise<JWTPayload> => {
    const known = remembered(token);
    if (known !== undefined) return known;
    try {
      const { payload, protectedHeader } = await jwtVerify(token, keyFor, {
        algorithms: ['RS256'],
        issuer: options.issuer,
        audience,
        clockTolerance: options.clockToleranceSec ?? 5,
        requiredClaims: ['exp', 'sub'],
      });
      remember(token, payload, protectedHeader.kid);
      return payload;
    } catch (error) {
      if (error instanceof LernError) throw error;
      if (error instanceof joseErrors.JOSEError) throw reject(error.code, error);
      throw reject('malformed token', error);
    }
  };

  return {
    async verifyUserToken(token) {
      const claims = await verify(token);
      const userId = userIdFromSubject(claims.sub ?? '');
      if (userId === '') throw reject('empty subject');
      return { userId, claims };
    },
    async verifyManagedToken(token, parentUserId) {
      const claims = await verify(token);
      const parentId = typeof claims.parentId === 'string' ? claims.parentId : undefined;
      if (parentId === undefined || userIdFromSubject(parentId) !== parentUserId) throw reject('for-token parentId does not match the requester');
      const child = userIdFromSubject(claims.sub ?? '');
      if (child === '') throw reject('empty subject in for-token');
      return child;
    },
    close: () => ring.close(),
  };
}
