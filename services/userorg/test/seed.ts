/* eslint-disable @typescript-eslint/no-unsafe-member-access -- responses are untyped JSON that the assertions walk */
/**
 * The people and organisations most suites start from, created through the API: a system
 * administrator, a tenant and an administrator of it who is also a member, and a helper that creates
 * users in the tenant.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { call, unique, type Fixture } from './helpers.ts';

/** A created user with the contacts it was created with. */
export interface SeededUser {
  id: string;
  email: string;
  phone: string;
}

/** A tenant with its administrator. */
export interface Tenant {
  id: string;
  channel: string;
  /** ORG_ADMIN of the tenant, a member of it. */
  adminId: string;
  adminToken: string;
}

/** The starting point: a system administrator and a way to add tenants and users. */
export interface Seed {
  sysId: string;
  sysToken: string;
  /** Creates a tenant with an administrator of its own. */
  tenant(name?: string): Promise<Tenant>;
  /** Creates a user in the tenant (by its administrator) with a fresh email and phone. */
  user(tenant: Tenant, extra?: Record<string, unknown>, url?: string): Promise<SeededUser>;
}

/** Seeds a system administrator (`grant(id, 'SYSTEM_ADMINISTRATION', ['*'])`). */
export async function seed(f: Fixture): Promise<Seed> {
  const sysId = randomUUID();
  await f.grant(sysId, 'SYSTEM_ADMINISTRATION', ['*']);
  const sysToken = await f.token(sysId);
  const s: Seed = {
    sysId,
    sysToken,
    async tenant(name = 'Tenant') {
      const channel = unique.channel();
      const org = await call(f, 'POST', '/v1/org/create', { token: sysToken, body: { request: { orgName: name, channel, organisationType: 'board', isTenant: true } } });
      expect(org.status, JSON.stringify(org.body)).toBe(200);
      const id = org.body.result.organisationId as string;
      const admin = await call(f, 'POST', '/v2/user/create', { token: sysToken, body: { request: { firstName: 'Admin', email: unique.email(), channel } } });
      expect(admin.status, JSON.stringify(admin.body)).toBe(200);
      const adminId = admin.body.result.userId as string;
      await f.grant(adminId, 'ORG_ADMIN', [id]);
      return { id, channel, adminId, adminToken: await f.token(adminId) };
    },
    async user(tenant, extra = {}, url = '/v2/user/create') {
      const email = unique.email();
      const phone = unique.phone();
      const res = await call(f, 'POST', url, { token: tenant.adminToken, body: { request: { firstName: 'Ravi', lastName: 'Kumar', email, phone, channel: tenant.channel, ...extra } } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return { id: res.body.result.userId as string, email, phone };
    },
  };
  return s;
}
