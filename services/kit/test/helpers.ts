import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

/** A key folder as LERN_AUTH_KEYS_DIR expects it, and a way to mint tokens with its keys. */
export interface TestKeys {
  dir: string;
  issuer: string;
  /** Signs with the key `kid` (default 'k1'); claims default to a valid user token. */
  token(claims?: JWTPayload & { sub?: string }, options?: { kid?: string; key?: CryptoKey; expiresIn?: string | number; issuer?: string }): Promise<string>;
  /** A key that is in no folder. */
  strangerKey: CryptoKey;
}

export async function makeTestKeys(): Promise<TestKeys> {
  const dir = mkdtempSync(join(tmpdir(), 'lern-keys-'));
  const k1 = await generateKeyPair('RS256', { extractable: true });
  const k2 = await generateKeyPair('RS256', { extractable: true });
  const stranger = await generateKeyPair('RS256', { extractable: true });
  writeFileSync(join(dir, 'k1'), await exportSPKI(k1.publicKey));
  writeFileSync(join(dir, 'k2'), await exportSPKI(k2.publicKey));
  writeFileSync(join(dir, 'README'), 'not a key');
  const issuer = 'http://127.0.0.1:8080/auth/realms/sunbird';
  const keys: Record<string, CryptoKey> = { k1: k1.privateKey, k2: k2.privateKey };
  return {
    dir,
    issuer,
    strangerKey: stranger.privateKey,
    async token(claims = {}, options = {}) {
      const kid = options.kid ?? 'k1';
      const key = options.key ?? keys[kid] ?? k1.privateKey;
      return new SignJWT({ sub: 'f:provider:user-1', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuedAt()
        .setIssuer(options.issuer ?? issuer)
        .setExpirationTime(options.expiresIn ?? '10m')
        .sign(key);
    },
  };
}
