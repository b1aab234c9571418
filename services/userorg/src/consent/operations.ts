/**
 * User consent (upstream UserConsentActor / UserConsentServiceImpl): a user gives, revokes or deletes
 * consent for a consumer organisation to use an object (their profile, a collection's progress).
 * Consents expire after LERN-configured days (upstream consent_expiry_in_days, default 100).
 */
import { LernError, formatMessage } from '@lern/kit';
import type { Static } from '@lern/kit';
import type { ConsentRecord, ConsentStore } from './store.ts';
import type { ConsentView, UpdateConsentBody } from './schemas.ts';

/** err prefixes (upstream ActorOperations UPDATE_USER_CONSENT / GET_USER_CONSENT). */
export const CONSENT_UPDATE_PREFIX = 'UOS_UCNSNTUPD';
export const CONSENT_READ_PREFIX = 'UOS_UCNSTRED';

/** Upstream's default consent lifetime in days. */
export const DEFAULT_CONSENT_EXPIRY_DAYS = 100;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The consent fields of an update request. */
export type ConsentInput = Static<typeof UpdateConsentBody>['request']['consent'];

/** What the consent operations need. */
export interface ConsentDeps {
  store: ConsentStore;
  /** @default DEFAULT_CONSENT_EXPIRY_DAYS */
  expiryDays?: number;
  now?: () => Date;
}

/** Upstream's key of a consent row. */
export function consentId(userId: string, consumerId: string, objectId: string): string {
  return `usr-consent:${userId}:${consumerId}:${objectId}`;
}

function invalidConsumer(): LernError {
  return new LernError('CLIENT_ERROR', `${CONSENT_UPDATE_PREFIX}0019`, formatMessage('Please provide valid {0}.', 'organisationid'));
}

/** Records a consent; the consumer must be an existing organisation other than the custodian. */
export async function updateConsent(deps: ConsentDeps, consent: ConsentInput): Promise<{ consent: { userId: string }; message: string }> {
  const { store } = deps;
  const [custodianOrgId, consumer] = await Promise.all([store.setting('custodianOrgId'), store.orgScope(consent.consumerId)]);
  if (consumer === null || (custodianOrgId !== null && custodianOrgId.toLowerCase() === consent.consumerId.toLowerCase())) throw invalidConsumer();
  const now = (deps.now ?? (() => new Date()))();
  const existing = await store.get(consent.userId, consent.consumerId, consent.objectId);
  await store.put({
    id: consentId(consent.userId, consent.consumerId, consent.objectId),
    userId: consent.userId,
    consumerId: consent.consumerId,
    objectId: consent.objectId,
    consumerType: consent.consumerType ?? 'ORGANISATION',
    objectType: consent.objectType,
    status: consent.status,
    expiry: new Date(now.getTime() + (deps.expiryDays ?? DEFAULT_CONSENT_EXPIRY_DAYS) * DAY_MS),
    createdOn: existing?.createdOn ?? now,
    lastUpdatedOn: now,
  });
  return { consent: { userId: consent.userId }, message: 'User Consent updated successfully.' };
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function view(c: ConsentRecord): Static<typeof ConsentView> {
  return {
    id: c.id,
    userId: c.userId,
    consumerId: c.consumerId,
    objectId: c.objectId,
    consumerType: c.consumerType,
    objectType: c.objectType,
    status: c.status,
    expiry: iso(c.expiry),
    categories: c.categories,
    createdOn: iso(c.createdOn),
    lastUpdatedOn: iso(c.lastUpdatedOn),
  };
}

/** The consents of a user for a consumer and object; deleted ones are not shown, none at all is 404. */
export async function readConsents(deps: ConsentDeps, filters: { userId: string; consumerId: string; objectId: string }): Promise<{ consents: Static<typeof ConsentView>[] }> {
  const found = await deps.store.get(filters.userId, filters.consumerId, filters.objectId);
  const consents = found && found.status.toUpperCase() !== 'DELETED' ? [view(found)] : [];
  if (consents.length === 0) throw new LernError('RESOURCE_NOT_FOUND', `${CONSENT_READ_PREFIX}0013`, formatMessage('Requested {0} resource not found', 'user consent'));
  return { consents };
}
