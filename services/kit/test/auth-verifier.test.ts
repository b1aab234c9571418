import { afterEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportSPKI, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { createTokenVerifier, LernError, readKeyFolder, type ReloadingTokenVerifier, type TokenVerifierOptions } from '@lern/kit';

const ISSUER = 'https://example.org/auth/realms/sunbird';

interface Signer {
  kid: string;
  publicPem: string;
  sign(claims?: JWTPayload, options?: { issuer?: string; expSec?: number; iatSec?: number }): Promise<string>;
}

async function signer(kid: string): Promise<Signer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const sign = async (claims: JWTPayload = {}, options: { issuer?: string; expSec?: number; iatSec?: number } = {}): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ sub: 'f:provider:user-1', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(options.issuer ?? ISSUER)
      .setIssuedAt(options.iatSec ?? now)
      .setExpirationTime(options.expSec ?? now + 600)
      .sign(privateKey);
  };
  return { kid, publicPem: await exportSPKI(publicKey), sign };
}

/**
 * A folder laid out as the kubelet mounts a Secret: the data in a timestamped folder, `..data`
 * pointing at it, and one `<name> -> ..data/<name>` link per key.
 */
class SecretVolume {
  private generation = 0;
  private readonly linked = new Set<string>();
  readonly dir: string;
  private constructor(dir: string) {
    this.dir = dir;
  }

  static async create(files: Record<string, string>): Promise<SecretVolume> {
    const volume = new SecretVolume(await tempDir('lern-secret-'));
    await volume.update(files);
    return volume;
  }

  /** What the kubelet does on a Secret change: new timestamped folder, atomic `..data` swap, then the old folder and stale links go. */
  async update(files: Record<string, string>, options: { keepStaleLinks?: boolean } = {}): Promise<void> {
    const previous = this.generation === 0 ? undefined : this.stamp(this.generation);
    this.generation += 1;
    const current = this.stamp(this.generation);
    await mkdir(join(this.dir, current));
    for (const [name, text] of Object.entries(files)) await writeFile(join(this.dir, current, name), text);
    for (const name of Object.keys(files)) {
      if (this.linked.has(name)) continue;
      await symlink(join('..data', name), join(this.dir, name));
      this.linked.add(name);
    }
    await symlink(current, join(this.dir, '..data_tmp'));
    await rename(join(this.dir, '..data_tmp'), join(this.dir, '..data'));
    if (previous !== undefined) await rm(join(this.dir, previous), { recursive: true });
    if (!options.keepStaleLinks) await this.removeStaleLinks(Object.keys(files));
  }

  /** Removes the links of files no longer in the Secret. */
  async removeStaleLinks(names: string[]): Promise<void> {
    for (const name of [...this.linked]) {
      if (names.includes(name)) continue;
      await rm(join(this.dir, name));
      this.linked.delete(name);
    }
  }

  private stamp(n: number): string {
    return `..2026_12_03_07_0${n}_00.12345678${n}`;
  }
}

const verifiers: ReloadingTokenVerifier[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const v of verifiers.splice(0)) v.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
async function verifierFor(options: TokenVerifierOptions): Promise<ReloadingTokenVerifier> {
  const v = await createTokenVerifier(options);
  verifiers.push(v);
  return v;
}

async function refused(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LernError);
  expect((error as LernError).responseCode).toBe('UNAUTHORIZED');
  return (error as { reason?: string }).reason ?? '';
}

describe('keys from a mounted Kubernetes Secret', () => {
  it('reads the keys through the kubelet symlinks and skips ..-entries and non-PEM files', async () => {
    const k1 = await signer('k1');
    const volume = await SecretVolume.create({ k1: k1.publicPem, 'ca.crt': '-----BEGIN CERTIFICATE-----\nnot a key\n-----END CERTIFICATE-----\n', README: 'notes' });
    await mkdir(join(volume.dir, 'nested'));
    const folder = await readKeyFolder(volume.dir);
    expect([...folder.keys.keys()]).toEqual(['k1']);
    expect(folder.problems).toEqual([]);
  });

  it('a key removed from the Secret is refused within the re-read interval, though clients keep sending its kid', async () => {
    const k1 = await signer('k1');
    const k2 = await signer('k2');
    const volume = await SecretVolume.create({ k1: k1.publicPem, k2: k2.publicPem });
    // The unknown-kid re-read never fires here: only the timer can drop k1.
    const verifier = await verifierFor({ keysDir: volume.dir, issuer: ISSUER, reloadIntervalMs: 200, unknownKidReloadMs: 60_000 });
    expect((await verifier.verifyUserToken(await k1.sign())).userId).toBe('user-1');
    expect((await verifier.verifyUserToken(await k2.sign())).userId).toBe('user-1');

    // The swap leaves `k1 -> ..data/k1` dangling until the kubelet removes it: it already counts as gone.
    await volume.update({ k2: k2.publicPem }, { keepStaleLinks: true });
    const swappedAt = Date.now();
    const token = await k1.sign();
    let reason = '';
    while (Date.now() - swappedAt < 2_000) {
      const outcome = await verifier.verifyUserToken(token).then(
        () => 'accepted',
        (e: unknown) => (e as { reason?: string }).reason ?? 'refused',
      );
      if (outcome !== 'accepted') {
        reason = outcome;
        break;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    // One interval plus a read; the margin is for a busy machine.
    expect(Date.now() - swappedAt).toBeLessThan(1_000);
    expect(reason).toBe('unknown kid k1');
    await volume.removeStaleLinks(['k2']);
    await refused(verifier.verifyUserToken(token));
    expect((await verifier.verifyUserToken(await k2.sign())).userId).toBe('user-1');
  });

  it('a key added to the Secret works at once through the rate-limited unknown-kid re-read', async () => {
    const k1 = await signer('k1');
    const k3 = await signer('k3');
    const volume = await SecretVolume.create({ k1: k1.publicPem });
    const verifier = await verifierFor({ keysDir: volume.dir, issuer: ISSUER, reloadIntervalMs: 0, unknownKidReloadMs: 0 });
    await volume.update({ k1: k1.publicPem, k3: k3.publicPem });
    expect((await verifier.verifyUserToken(await k3.sign())).userId).toBe('user-1');
  });

  it('a failed re-read keeps the previous keys and says so', async () => {
    const k1 = await signer('k1');
    const volume = await SecretVolume.create({ k1: k1.publicPem });
    const problems: string[] = [];
    const verifier = await verifierFor({ keysDir: volume.dir, issuer: ISSUER, reloadIntervalMs: 50, onKeyFolderProblem: (m) => problems.push(m) });
    await rm(volume.dir, { recursive: true });
    await new Promise((r) => setTimeout(r, 200));
    expect(problems[0]).toMatch(/cannot re-read the key folder/);
    expect((await verifier.verifyUserToken(await k1.sign())).userId).toBe('user-1');
  });

  it('a key file that is not an RSA public key stops the start', async () => {
    const volume = await SecretVolume.create({ k1: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n' });
    await expect(createTokenVerifier({ keysDir: volume.dir, issuer: ISSUER })).rejects.toThrow(/k1: not an RSA public key/);
  });
});

describe('token claims', () => {
  const keysFor = async (...signers: Signer[]): Promise<string> => {
    const dir = await tempDir('lern-keys-');
    for (const s of signers) await writeFile(join(dir, s.kid), s.publicPem);
    return dir;
  };

  it('a managed-user token from another issuer is refused', async () => {
    const k1 = await signer('k1');
    const verifier = await verifierFor({ keysDir: await keysFor(k1), issuer: ISSUER });
    const managed = { sub: 'child-1', parentId: 'parent-1' };
    expect(await verifier.verifyManagedToken(await k1.sign(managed), 'parent-1')).toBe('child-1');
    expect(await refused(verifier.verifyManagedToken(await k1.sign(managed, { issuer: 'http://platform' }), 'parent-1'))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
    await refused(verifier.verifyUserToken(await k1.sign({}, { issuer: 'http://evil/realms/sunbird' })));
  });

  it('the audience is enforced when set, for both token kinds', async () => {
    const k1 = await signer('k1');
    const verifier = await verifierFor({ keysDir: await keysFor(k1), issuer: ISSUER, audience: ['lern', 'portal'] });
    expect((await verifier.verifyUserToken(await k1.sign({ aud: ['account', 'portal'] }))).userId).toBe('user-1');
    await refused(verifier.verifyUserToken(await k1.sign({ aud: 'account' })));
    await refused(verifier.verifyUserToken(await k1.sign()));
    expect(await verifier.verifyManagedToken(await k1.sign({ sub: 'child-1', parentId: 'parent-1', aud: 'lern' }), 'parent-1')).toBe('child-1');
    await refused(verifier.verifyManagedToken(await k1.sign({ sub: 'child-1', parentId: 'parent-1' }), 'parent-1'));
  });

  it('the audience is ignored when not set', async () => {
    const k1 = await signer('k1');
    const verifier = await verifierFor({ keysDir: await keysFor(k1), issuer: ISSUER });
    expect((await verifier.verifyUserToken(await k1.sign({ aud: 'anything' }))).userId).toBe('user-1');
    expect((await verifier.verifyUserToken(await k1.sign())).userId).toBe('user-1');
  });

  it('expiry and issue time allow the configured clock skew and no more', async () => {
    const k1 = await signer('k1');
    const dir = await keysFor(k1);
    const now = Math.floor(Date.now() / 1000);
    const expiredJustNow = await k1.sign({}, { expSec: now - 3, iatSec: now - 600 });
    const issuedSoon = await k1.sign({ nbf: now + 3 }, { iatSec: now + 3 });
    const expiredLongAgo = await k1.sign({}, { expSec: now - 30, iatSec: now - 600 });

    const tolerant = await verifierFor({ keysDir: dir, issuer: ISSUER });
    expect((await tolerant.verifyUserToken(expiredJustNow)).userId).toBe('user-1');
    expect((await tolerant.verifyUserToken(issuedSoon)).userId).toBe('user-1');
    expect(await refused(tolerant.verifyUserToken(expiredLongAgo))).toBe('ERR_JWT_EXPIRED');

    const strict = await verifierFor({ keysDir: dir, issuer: ISSUER, clockToleranceSec: 0 });
    expect(await refused(strict.verifyUserToken(expiredJustNow))).toBe('ERR_JWT_EXPIRED');
    await refused(strict.verifyUserToken(issuedSoon));
  });
});
