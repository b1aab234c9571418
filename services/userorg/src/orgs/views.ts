/** What an organisation looks like in API responses and in the search index. */
import { ORG_TYPES, type OrgRecord } from '../records.ts';

/** The organisation as API responses and the search index show it. */
export function orgView(o: OrgRecord): Record<string, unknown> {
  return {
    id: o.id,
    identifier: o.id,
    hashTagId: o.id,
    orgName: o.orgName,
    description: o.description,
    channel: o.channel,
    slug: o.slug,
    isTenant: o.isTenant,
    isRootOrg: o.isTenant,
    rootOrgId: o.rootOrgId,
    organisationType: o.organisationType,
    organisationSubType: o.organisationSubType,
    isSchool: o.organisationType === ORG_TYPES.school,
    isBoard: o.organisationType === ORG_TYPES.board,
    status: o.status,
    email: o.email,
    externalId: o.externalId,
    provider: o.provider,
    orgCode: o.orgCode,
    homeUrl: o.homeUrl,
    imgUrl: o.imgUrl,
    preferredLanguage: o.preferredLanguage,
    locationIds: o.locationIds,
    orgLocation: o.orgLocation,
    isSSOEnabled: o.isSSOEnabled,
    license: o.license,
    keys: {},
    createdBy: o.createdBy,
    createdDate: o.createdDate,
    updatedBy: o.updatedBy,
    updatedDate: o.updatedDate,
  };
}
