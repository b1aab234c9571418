/**
 * Request checks in upstream's order and with upstream's codes (UserRequestValidator,
 * OrgRequestValidator, LocationRequestValidator). Pure: each returns a normalised input or throws
 * the LernError the client sees. Empty strings count as "not given", like upstream's isBlank.
 */
import { fail, formatMessage, REASONS, uosError, type Operation } from './errors.ts';
import { LOCATION_TYPES, ORG_TYPES } from './model.ts';
import { isValidEmail, isValidPassword, isValidPhone } from './pii.ts';
import { LernError } from '@lern/kit';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The `request` object of a body, or invalid-request-data when absent. */
export function requestOf(body: unknown, op: Operation): Obj {
  if (!isObj(body) || !isObj(body.request)) throw uosError(op, 'invalidRequestData');
  return body.request;
}

/** A non-blank string value, numbers turned into strings (upstream accepts phone: 8888888888). */
export function text(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

function optionalString(req: Obj, field: string, op: Operation, maxLength = 512): string | undefined {
  const v = req[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw uosError(op, 'dataTypeError', [field, 'String']);
  const t = text(v);
  if (t !== undefined && t.length > maxLength) throw uosError(op, 'invalidParameterValue', [t.slice(0, 40), field]);
  return t;
}

function stringList(req: Obj, field: string, op: Operation): string[] | undefined {
  const v = req[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x.length <= 256) || v.length > 100) {
    throw uosError(op, 'dataTypeError', [field, 'List']);
  }
  return v as string[];
}

/** Which create endpoint is called: decides the mandatory fields and the message quirks. */
export type CreateFlavour = 'v1' | 'v2' | 'v3' | 'sso' | 'signup' | 'managed';

/** Normalised input of a user creation. */
export interface CreateUserInput {
  firstName: string;
  lastName: string | null;
  userName: string | null;
  email: string | null;
  phone: string | null;
  password: string | null;
  emailVerified: boolean;
  phoneVerified: boolean;
  countryCode: string | null;
  channel: string | null;
  organisationId: string | null;
  managedBy: string | null;
  dob: string | null;
  gender: string | null;
  language: string[];
  subject: string[];
  userType: string | null;
  userSubType: string | null;
  profileUserTypes: { type: string; subType: string | null }[];
  profileLocation: { id: string; type: string }[];
  roles: string[];
  framework: Record<string, string[]>;
  externalIds: { id: string; idType: string; provider: string }[];
}

const USERNAME = /^[A-Za-z0-9._@-]{1,100}$/;

function readProfileUserTypes(req: Obj, op: Operation): { type: string; subType: string | null }[] {
  const one = req.profileUserType;
  const many = req.profileUserTypes;
  const toType = (v: unknown) => {
    if (!isObj(v)) throw uosError(op, 'dataTypeError', ['profileUserType', 'Map']);
    const type = text(v.type) ?? text(v.userType);
    if (type === undefined) throw fail.missing(op, 'profileUserType.type');
    return { type, subType: text(v.subType) ?? text(v.userSubType) ?? null };
  };
  if (Array.isArray(many)) return many.slice(0, 20).map(toType);
  if (many !== undefined && many !== null) throw uosError(op, 'dataTypeError', ['profileUserTypes', 'List']);
  if (one !== undefined && one !== null) return [toType(one)];
  const userType = text(req.userType);
  return userType ? [{ type: userType, subType: text(req.userSubType) ?? null }] : [];
}

function readProfileLocation(req: Obj, op: Operation): { id: string; type: string }[] {
  const v = req.profileLocation;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length > 10) throw uosError(op, 'dataTypeError', ['profileLocation', 'List']);
  return v.map((l) => {
    if (!isObj(l)) throw uosError(op, 'dataTypeError', ['profileLocation', 'List']);
    const id = text(l.id) ?? text(l.code);
    const type = text(l.type);
    if (id === undefined || type === undefined) throw fail.missing(op, 'profileLocation.id');
    return { id, type };
  });
}

function readFramework(req: Obj, op: Operation): Record<string, string[]> {
  const v = req.framework;
  if (v === undefined || v === null) return {};
  if (!isObj(v)) throw uosError(op, 'dataTypeError', ['framework', 'Map']);
  const out: Record<string, string[]> = {};
  for (const [k, val] of Object.entries(v).slice(0, 50)) {
    if (typeof val === 'string') out[k] = [val];
    else if (Array.isArray(val) && val.every((x) => typeof x === 'string')) out[k] = val;
    else throw uosError(op, 'dataTypeError', [`framework.${k}`, 'List']);
  }
  return out;
}

function readExternalIds(req: Obj, op: Operation): { id: string; idType: string; provider: string }[] {
  const v = req.externalIds;
  if (v === undefined || v === null) return [];
  const items = Array.isArray(v) ? v : [v];
  return items.slice(0, 20).map((e) => {
    if (!isObj(e)) throw uosError(op, 'dataTypeError', ['externalIds', 'List']);
    const id = text(e.id);
    const idType = text(e.idType);
    const provider = text(e.provider);
    if (!id) throw fail.missing(op, 'externalIds.id');
    if (!idType) throw fail.missing(op, 'externalIds.idType');
    if (!provider) throw fail.missing(op, 'externalIds.provider');
    return { id, idType, provider };
  });
}

/** Checks a user creation request of the given flavour. */
export function validateCreateUser(body: unknown, flavour: CreateFlavour): CreateUserInput {
  const op: Operation = 'createUser';
  const req = requestOf(body, op);
  // Signup returns the literal template for email/phone format errors, as upstream does.
  const formatError = (field: string) =>
    flavour === 'signup' ? uosError(op, 'dataFormatError', []) : fail.format(op, field);
  const firstName = text(req.firstName) ?? text(req.firstname);
  if (firstName === undefined) throw fail.missing(op, 'firstName');
  if (firstName.length > 256) throw uosError(op, 'invalidParameterValue', [firstName.slice(0, 40), 'firstName']);
  const userName = optionalString(req, 'userName', op) ?? optionalString(req, 'username', op);
  if (flavour === 'v1' && userName === undefined) throw fail.missing(op, 'userName');
  if (userName !== undefined && !USERNAME.test(userName)) throw fail.format(op, 'userName');
  const email = optionalString(req, 'email', op);
  const phone = optionalString(req, 'phone', op);
  const managedBy = optionalString(req, 'managedBy', op);
  if (flavour === 'managed') {
    if (managedBy === undefined) throw fail.missing(op, 'managedBy');
    if (email !== undefined || phone !== undefined) {
      throw new LernError('CLIENT_ERROR', 'UOS_USRCRT0011', 'Please provide only email or phone or managed by');
    }
  } else {
    if (managedBy !== undefined) throw uosError(op, 'managedByNotAllowed');
    if (email === undefined && phone === undefined) throw uosError(op, 'invalidParameter', ['email or phone']);
  }
  const countryCode = optionalString(req, 'countryCode', op);
  if (email !== undefined && !isValidEmail(email)) throw formatError('email');
  if (phone !== undefined && !isValidPhone(phone, countryCode)) throw formatError('phone');
  const password = optionalString(req, 'password', op, 128);
  if (password !== undefined && !isValidPassword(password)) throw uosError(op, 'passwordValidation');
  const roles = stringList(req, 'roles', op) ?? [];
  return {
    firstName,
    lastName: optionalString(req, 'lastName', op) ?? optionalString(req, 'lastname', op) ?? null,
    userName: userName ?? null,
    email: email ?? null,
    phone: phone ?? null,
    password: password ?? null,
    emailVerified: req.emailVerified === true,
    phoneVerified: req.phoneVerified === true,
    countryCode: countryCode ?? null,
    channel: optionalString(req, 'channel', op) ?? null,
    organisationId: optionalString(req, 'organisationId', op) ?? null,
    managedBy: managedBy ?? null,
    dob: optionalString(req, 'dob', op, 32) ?? null,
    gender: optionalString(req, 'gender', op, 32) ?? null,
    language: stringList(req, 'language', op) ?? [],
    subject: stringList(req, 'subject', op) ?? [],
    userType: null,
    userSubType: null,
    profileUserTypes: readProfileUserTypes(req, op),
    profileLocation: readProfileLocation(req, op),
    roles,
    framework: readFramework(req, op),
    externalIds: readExternalIds(req, op),
  };
}

/** Fields a user update may change (anything else in the request is ignored). */
export interface UpdateUserInput {
  userId: string;
  changes: {
    firstName?: string;
    lastName?: string | null;
    email?: string | null;
    phone?: string | null;
    emailVerified?: boolean;
    phoneVerified?: boolean;
    countryCode?: string | null;
    recoveryEmail?: string | null;
    recoveryPhone?: string | null;
    dob?: string | null;
    gender?: string | null;
    language?: string[];
    subject?: string[];
    profileUserTypes?: { type: string; subType: string | null }[];
    profileLocation?: { id: string; type: string }[];
    framework?: Record<string, string[]>;
    userName?: string;
  };
}

const NOT_UPDATABLE = ['channel', 'rootOrgId', 'status', 'roles', 'isDeleted', 'id', 'createdDate', 'createdBy'];

/** Checks a user update (v1-v3 share the rules). */
export function validateUpdateUser(body: unknown): UpdateUserInput {
  const op: Operation = 'updateUser';
  const req = requestOf(body, op);
  const userId = text(req.userId) ?? text(req.id);
  if (userId === undefined) throw fail.missing(op, 'userId');
  for (const f of NOT_UPDATABLE) if (req[f] !== undefined) throw uosError(op, 'unupdatableField', [f]);
  if (req.managedBy !== undefined) throw uosError(op, 'managedByNotAllowed');
  const changes: UpdateUserInput['changes'] = {};
  if ('firstName' in req) {
    const v = text(req.firstName);
    if (v === undefined) throw fail.missing(op, 'firstName');
    changes.firstName = v;
  }
  if ('lastName' in req) changes.lastName = optionalString(req, 'lastName', op) ?? null;
  const countryCode = 'countryCode' in req ? (optionalString(req, 'countryCode', op) ?? null) : undefined;
  if (countryCode !== undefined) changes.countryCode = countryCode;
  if ('email' in req) {
    const v = optionalString(req, 'email', op);
    if (v !== undefined && !isValidEmail(v)) throw fail.format(op, 'email');
    changes.email = v ?? null;
  }
  if ('phone' in req) {
    const v = optionalString(req, 'phone', op);
    if (v !== undefined && !isValidPhone(v, countryCode ?? undefined)) throw fail.format(op, 'phone');
    changes.phone = v ?? null;
  }
  if ('recoveryEmail' in req) {
    const v = optionalString(req, 'recoveryEmail', op);
    if (v !== undefined && !isValidEmail(v)) throw fail.format(op, 'recoveryEmail');
    changes.recoveryEmail = v ?? null;
  }
  if ('recoveryPhone' in req) {
    const v = optionalString(req, 'recoveryPhone', op);
    if (v !== undefined && !isValidPhone(v)) throw fail.format(op, 'recoveryPhone');
    changes.recoveryPhone = v ?? null;
  }
  if ('userName' in req) {
    const v = optionalString(req, 'userName', op);
    if (v === undefined || !USERNAME.test(v)) throw fail.format(op, 'userName');
    changes.userName = v;
  }
  if (typeof req.emailVerified === 'boolean') changes.emailVerified = req.emailVerified;
  if (typeof req.phoneVerified === 'boolean') changes.phoneVerified = req.phoneVerified;
  if ('dob' in req) changes.dob = optionalString(req, 'dob', op, 32) ?? null;
  if ('gender' in req) changes.gender = optionalString(req, 'gender', op, 32) ?? null;
  const language = stringList(req, 'language', op);
  if (language) changes.language = language;
  const subject = stringList(req, 'subject', op);
  if (subject) changes.subject = subject;
  if ('profileUserType' in req || 'profileUserTypes' in req) changes.profileUserTypes = readProfileUserTypes(req, op);
  if ('profileLocation' in req) changes.profileLocation = readProfileLocation(req, op);
  if ('framework' in req) changes.framework = readFramework(req, op);
  return { userId, changes };
}

/** Checks `{request: {userId}}` of block/unblock/delete. */
export function validateUserIdRequest(body: unknown, op: Operation): string {
  const req = requestOf(body, op);
  const userId = text(req.userId);
  if (userId === undefined) throw fail.missing(op, 'userId');
  return userId;
}

/** Identifier kinds accepted by exists / get / lookup. */
export const LOOKUP_KEYS: Readonly<Record<string, 'email' | 'phone' | 'username' | 'externalid' | 'id'>> = {
  email: 'email',
  phone: 'phone',
  username: 'username',
  userName: 'username',
  loginId: 'username',
  externalId: 'externalid',
  userId: 'id',
  id: 'id',
};

/** Checks a `key`/`value` pair; the literal `{0}` message is upstream's. */
export function validateLookupKey(op: Operation, key: string, value: string): { type: 'email' | 'phone' | 'username' | 'externalid' | 'id'; value: string } {
  const type = LOOKUP_KEYS[key];
  if (type === undefined) throw uosError(op, 'invalidValue', [key === '' ? 'key' : 'key', key.slice(0, 40), Object.keys(LOOKUP_KEYS).join(', ')]);
  const v = value.trim();
  if (v === '' || v.length > 256) throw uosError(op, 'dataFormatError', []);
  if (type === 'email' && !isValidEmail(v)) throw uosError(op, 'dataFormatError', []);
  if (type === 'phone' && !/^[0-9+\- ]{6,20}$/.test(v)) throw uosError(op, 'dataFormatError', []);
  return { type, value: v };
}

/** Normalised input of organisation creation. */
export interface CreateOrgInput {
  orgName: string;
  isTenant: boolean;
  channel: string | null;
  organisationType: number;
  organisationSubType: string | null;
  description: string | null;
  email: string | null;
  externalId: string | null;
  provider: string | null;
  orgCode: string | null;
  homeUrl: string | null;
  imgUrl: string | null;
  preferredLanguage: string | null;
  rootOrgId: string | null;
  isSSOEnabled: boolean;
  license: string | null;
  orgLocation: { id: string; type: string }[];
}

function readOrgType(req: Obj, op: Operation): number {
  const raw = req.organisationType;
  const name = text(raw);
  if (name === undefined) throw fail.missing(op, 'organisationType');
  const value = ORG_TYPES[name.toLowerCase()];
  if (value === undefined) throw uosError(op, 'invalidValue', ['organisationType', name.slice(0, 40), Object.keys(ORG_TYPES).join(', ')]);
  return value;
}

function readOrgLocation(req: Obj, op: Operation): { id: string; type: string }[] {
  const v = req.orgLocation;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length > 10) throw uosError(op, 'dataTypeError', ['orgLocation', 'List']);
  return v.map((l) => {
    if (!isObj(l) || text(l.id) === undefined || text(l.type) === undefined) throw uosError(op, 'dataTypeError', ['orgLocation', 'List']);
    return { id: text(l.id)!, type: text(l.type)! };
  });
}

/** Checks an organisation creation (root org/tenant needs a channel; sub-orgs need none). */
export function validateCreateOrg(body: unknown): CreateOrgInput {
  const op: Operation = 'createOrg';
  const req = requestOf(body, op);
  const orgName = text(req.orgName);
  if (orgName === undefined) throw fail.missing(op, 'orgName');
  const organisationType = readOrgType(req, op);
  if (req.isTenant === undefined || req.isTenant === null) throw fail.missing(op, 'isTenant');
  if (typeof req.isTenant !== 'boolean') throw uosError(op, 'dataTypeError', ['isTenant', 'Boolean']);
  const channel = optionalString(req, 'channel', op, 128);
  if (req.isTenant && channel === undefined) throw fail.missing(op, 'channel');
  if (channel !== undefined && !/^[A-Za-z0-9_.-]{1,128}$/.test(channel)) throw fail.format(op, 'channel');
  const email = optionalString(req, 'email', op);
  if (email !== undefined && !isValidEmail(email)) throw fail.format(op, 'email');
  if (req.isTenant && typeof req.license === 'string' && req.license.trim() === '') {
    throw uosError(op, 'errorMandatoryParamsEmpty', ['license']);
  }
  return {
    orgName,
    isTenant: req.isTenant,
    channel: channel ?? null,
    organisationType,
    organisationSubType: optionalString(req, 'organisationSubType', op) ?? null,
    description: optionalString(req, 'description', op, 4096) ?? null,
    email: email ?? null,
    externalId: optionalString(req, 'externalId', op) ?? null,
    provider: optionalString(req, 'provider', op) ?? null,
    orgCode: optionalString(req, 'orgCode', op) ?? null,
    homeUrl: optionalString(req, 'homeUrl', op, 2048) ?? null,
    imgUrl: optionalString(req, 'imgUrl', op, 2048) ?? null,
    preferredLanguage: optionalString(req, 'preferredLanguage', op) ?? null,
    rootOrgId: optionalString(req, 'rootOrgId', op) ?? null,
    isSSOEnabled: req.isSSOEnabled === true,
    license: optionalString(req, 'license', op) ?? null,
    orgLocation: readOrgLocation(req, op),
  };
}

/** Checks an organisation update; only named fields change. */
export function validateUpdateOrg(body: unknown): { organisationId: string; changes: Partial<CreateOrgInput> } {
  const op: Operation = 'updateOrg';
  const req = requestOf(body, op);
  const organisationId = text(req.organisationId);
  if (organisationId === undefined) throw fail.missing(op, 'organisationId');
  for (const f of ['channel', 'isTenant', 'rootOrgId', 'status']) if (req[f] !== undefined) throw uosError(op, 'unupdatableField', [f]);
  const changes: Partial<CreateOrgInput> = {};
  if ('orgName' in req) {
    const v = text(req.orgName);
    if (v === undefined) throw fail.missing(op, 'orgName');
    changes.orgName = v;
  }
  if ('organisationType' in req) changes.organisationType = readOrgType(req, op);
  if ('email' in req) {
    const v = optionalString(req, 'email', op);
    if (v !== undefined && !isValidEmail(v)) throw fail.format(op, 'email');
    changes.email = v ?? null;
  }
  for (const f of ['description', 'externalId', 'provider', 'orgCode', 'homeUrl', 'imgUrl', 'preferredLanguage', 'organisationSubType', 'license'] as const) {
    if (f in req) changes[f] = optionalString(req, f, op, 4096) ?? null;
  }
  if ('isSSOEnabled' in req) changes.isSSOEnabled = req.isSSOEnabled === true;
  if ('orgLocation' in req) changes.orgLocation = readOrgLocation(req, op);
  return { organisationId, changes };
}

/** Checks an organisation status change. */
export function validateOrgStatus(body: unknown): { organisationId: string; status: number } {
  const op: Operation = 'updateOrgStatus';
  const req = requestOf(body, op);
  const organisationId = text(req.organisationId);
  if (organisationId === undefined) throw fail.missing(op, 'organisationId');
  const status = req.status;
  if (status === undefined || status === null) throw fail.missing(op, 'status');
  if (typeof status !== 'number' || ![0, 1, 2, 3].includes(status)) {
    throw uosError(op, 'invalidParameterValue', [JSON.stringify(status).slice(0, 40), 'status']);
  }
  return { organisationId, status };
}

/** Normalised location create/update. */
export interface LocationInput {
  id?: string;
  code?: string;
  name?: string;
  type?: string;
  parentId?: string;
  parentCode?: string;
}

/** Checks a location creation: code, name, type; non-top types need a parent, the top type none. */
export function validateCreateLocation(body: unknown): Required<Pick<LocationInput, 'code' | 'name' | 'type'>> & LocationInput {
  const op: Operation = 'createLocation';
  const req = requestOf(body, op);
  const code = text(req.code);
  if (code === undefined) throw fail.missing(op, 'code');
  const name = text(req.name);
  if (name === undefined) throw fail.missing(op, 'name');
  const type = text(req.type)?.toLowerCase();
  if (type === undefined) throw fail.missing(op, 'type');
  if (!(LOCATION_TYPES as readonly string[]).includes(type)) {
    throw uosError(op, 'invalidValue', ['type', type.slice(0, 40), LOCATION_TYPES.join(', ')]);
  }
  if (code.length > 128 || name.length > 256) throw uosError(op, 'invalidRequestData');
  const parentId = text(req.parentId);
  const parentCode = text(req.parentCode);
  const top = type === LOCATION_TYPES[0];
  if (top && (parentId !== undefined || parentCode !== undefined)) throw uosError(op, 'parentNotAllowed', ['parentId or parentCode']);
  if (!top && parentId === undefined && parentCode === undefined) throw fail.missing(op, 'parentId or parentCode');
  return { code, name, type, ...(parentId ? { parentId } : {}), ...(parentCode ? { parentCode } : {}) };
}

/** Checks a location update: id plus name/code (type and parent are fixed). */
export function validateUpdateLocation(body: unknown): { id: string; name?: string; code?: string } {
  const op: Operation = 'updateLocation';
  const req = requestOf(body, op);
  const id = text(req.id);
  if (id === undefined) throw fail.missing(op, 'id');
  if (req.type !== undefined) throw uosError(op, 'unupdatableField', ['type']);
  if (req.parentId !== undefined || req.parentCode !== undefined) throw uosError(op, 'unupdatableField', ['parentId']);
  const out: { id: string; name?: string; code?: string } = { id };
  if ('name' in req) {
    const v = text(req.name);
    if (v === undefined) throw fail.missing(op, 'name');
    out.name = v;
  }
  if ('code' in req) {
    const v = text(req.code);
    if (v === undefined) throw fail.missing(op, 'code');
    out.code = v;
  }
  return out;
}

/** Checks the v1 role assignment: replace the user's roles within one organisation. */
export function validateAssignRolesV1(body: unknown): { userId: string; organisationId: string; roles: string[] } {
  const op: Operation = 'assignRoles';
  const req = requestOf(body, op);
  const userId = text(req.userId);
  if (userId === undefined) throw fail.missing(op, 'userId');
  const organisationId = text(req.organisationId);
  if (organisationId === undefined) throw fail.missing(op, 'organisationId');
  if (req.roles === undefined || req.roles === null) throw fail.missing(op, 'roles');
  const roles = stringList(req, 'roles', op)!;
  return { userId, organisationId, roles };
}

/** One v2 role operation. */
export interface RoleOperation {
  role: string;
  operation: 'add' | 'remove';
  organisationIds: string[];
}

/** Checks the v2 role assignment: add/remove roles per organisation scope. */
export function validateAssignRolesV2(body: unknown): { userId: string; operations: RoleOperation[] } {
  const op: Operation = 'assignRoles';
  const req = requestOf(body, op);
  const userId = text(req.userId);
  if (userId === undefined) throw fail.missing(op, 'userId');
  if (!Array.isArray(req.roles) || req.roles.length === 0) throw fail.missing(op, 'roles');
  if (req.roles.length > 50) throw uosError(op, 'invalidRequestData');
  const operations = req.roles.map((r): RoleOperation => {
    if (!isObj(r)) throw uosError(op, 'dataTypeError', ['roles', 'List']);
    const role = text(r.role);
    if (role === undefined) throw fail.missing(op, 'role');
    const operation = text(r.operation) ?? 'add';
    if (operation !== 'add' && operation !== 'remove') throw uosError(op, 'invalidValue', ['operation', operation.slice(0, 40), 'add, remove']);
    if (!Array.isArray(r.scope) || r.scope.length === 0) throw fail.missing(op, 'scope');
    const organisationIds = r.scope.map((s) => {
      const id = isObj(s) ? text(s.organisationId) : undefined;
      if (id === undefined) throw fail.missing(op, 'scope.organisationId');
      return id;
    });
    return { role, operation, organisationIds };
  });
  return { userId, operations };
}

/** Checks a system setting write. */
export function validateSetSetting(body: unknown): { id: string; field: string; value: string } {
  const op: Operation = 'setSystemSetting';
  const req = requestOf(body, op);
  const id = text(req.id);
  if (id === undefined) throw fail.missing(op, 'id');
  const field = text(req.field);
  if (field === undefined) throw fail.missing(op, 'field');
  const raw = req.value;
  if (raw === undefined || raw === null || raw === '') throw fail.missing(op, 'value');
  const value = typeof raw === 'string' ? raw : JSON.stringify(raw);
  if (id.length > 256 || field.length > 256 || value.length > 65536) throw uosError(op, 'invalidRequestData');
  return { id, field, value };
}

/** Checks a tenant preference create/update/read. */
export function validateTenantPreference(body: unknown, op: 'createTenantPreference' | 'updateTenantPreference' | 'getTenantPreference'): {
  orgId: string;
  key: string;
  data?: Record<string, unknown>;
} {
  const req = requestOf(body, op);
  const orgId = text(req.orgId);
  if (orgId === undefined) throw fail.missing(op, 'orgId');
  const key = text(req.key);
  if (key === undefined) throw fail.missing(op, 'key');
  if (key.length > 256 || orgId.length > 256) throw uosError(op, 'invalidRequestData');
  if (op === 'getTenantPreference') return { orgId, key };
  if (req.data === undefined || req.data === null) throw fail.missing(op, 'data');
  if (!isObj(req.data)) throw uosError(op, 'dataTypeError', ['data', 'Map']);
  if (JSON.stringify(req.data).length > 65536) throw uosError(op, 'invalidRequestData');
  return { orgId, key, data: req.data };
}

/** The message of resourceNotFound for a thing (used where upstream formats it). */
export function notFoundMessage(what: string): string {
  return formatMessage(REASONS.resourceNotFound.message, [what]);
}
