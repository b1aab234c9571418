/**
 * Consent routes (upstream controller/conf/routes: POST /v1/user/consent/update, /v1/user/consent/read,
 * /v2/user/consent/read). A user updates only their own consent; a consent is read by its user or by
 * an administrator of the consumer organisation (or its root).
 */
import { MESSAGES, defineRoute, formatMessage, sunbirdValidationError, type Route, type ValidationErrorMapper } from '@lern/kit';
import { CONSENT_READ_PREFIX, CONSENT_UPDATE_PREFIX, readConsents, updateConsent, type ConsentDeps } from './operations.ts';
import { ReadConsentBody, ReadConsentResult, UpdateConsentBody, UpdateConsentResult } from './schemas.ts';

const MANDATORY = new Set(['userId', 'consumerId', 'objectId', 'objectType', 'status']);

/**
 * Upstream's validation of consent requests: a blank or missing identifier is "missing" (0030), a bad
 * status is INVALID_CONSENT_STATUS (0026), and a body that is not a request at all is UOS_0028.
 */
export function consentValidation(prefix: string): ValidationErrorMapper {
  const standard = sunbirdValidationError(prefix);
  return (issue) => {
    if (issue.kind === 'request') return { err: 'UOS_0028', errmsg: MESSAGES.invalidRequestData };
    if (MANDATORY.has(issue.field) && (issue.kind === 'missing' || issue.kind === 'empty' || issue.kind === 'format')) {
      return { err: `${prefix}0030`, errmsg: formatMessage(MESSAGES.mandatoryParamsMissing, issue.field) };
    }
    if (issue.field === 'status' && (issue.kind === 'enum' || issue.kind === 'type')) return { err: `${prefix}0026`, errmsg: 'Consent status is invalid' };
    return standard(issue);
  };
}

/** The consent routes. */
export function consentRoutes(deps: ConsentDeps): Route[] {
  const read = (url: string) =>
    defineRoute({
      method: 'POST',
      url,
      policy: 'selfOrAdmin',
      target: (req) => {
        const { userId, consumerId } = req.body.request.consent.filters;
        return { userId, scope: () => deps.store.orgScope(consumerId) };
      },
      errors: [404],
      validationError: consentValidation(CONSENT_READ_PREFIX),
      schema: { body: ReadConsentBody, result: ReadConsentResult },
      summary: "Read a user's consent for a consumer organisation and object",
      description: 'Deleted consents are not shown; 404 when there is none. The user, or an administrator of the consumer organisation.',
      tags: ['consent'],
      handler: async (req) => readConsents(deps, req.body.request.consent.filters),
    });
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/user/consent/update',
      policy: 'self',
      target: (req) => ({ userId: req.body.request.consent.userId }),
      validationError: consentValidation(CONSENT_UPDATE_PREFIX),
      schema: { body: UpdateConsentBody, result: UpdateConsentResult },
      summary: 'Give, revoke or delete consent for a consumer organisation',
      description: 'The consumer must be an existing organisation other than the custodian organisation (400 UOS_UCNSNTUPD0019).',
      tags: ['consent'],
      handler: async (req) => updateConsent(deps, req.body.request.consent),
    }),
    read('/v1/user/consent/read'),
    read('/v2/user/consent/read'),
  ];
}
