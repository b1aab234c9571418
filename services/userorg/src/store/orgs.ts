/** The `organisation` table. */
import { ORG_STATUS, type OrgRecord } from '../records.ts';
import { json, list, RecordTable, str, type Cql, type Row } from './cql.ts';

/** Cassandra `organisation` row of a record. */
export function orgToRow(o: OrgRecord): Row {
  return {
    id: o.id,
    orgname: o.orgName,
    description: o.description,
    channel: o.channel,
    slug: o.slug,
    istenant: o.isTenant,
    isrootorg: o.isTenant,
    rootorgid: o.rootOrgId,
    organisationtype: o.organisationType,
    organisationsubtype: o.organisationSubType,
    status: o.status,
    email: o.email,
    externalid: o.externalId,
    provider: o.provider,
    orgcode: o.orgCode,
    homeurl: o.homeUrl,
    imgurl: o.imgUrl,
    preferredlanguage: o.preferredLanguage,
    locationids: o.locationIds,
    orglocation: JSON.stringify(o.orgLocation),
    issssoenabled: o.isSSOEnabled,
    license: o.license,
    createdby: o.createdBy,
    createddate: o.createdDate,
    updatedby: o.updatedBy,
    updateddate: o.updatedDate,
  };
}

/** Record of an `organisation` row. */
export function rowToOrg(r: Row): OrgRecord {
  return {
    id: String(r.id),
    orgName: str(r.orgname) ?? '',
    description: str(r.description),
    channel: str(r.channel),
    slug: str(r.slug),
    isTenant: r.istenant === true,
    rootOrgId: str(r.rootorgid) ?? String(r.id),
    organisationType: typeof r.organisationtype === 'number' ? r.organisationtype : null,
    organisationSubType: str(r.organisationsubtype),
    status: typeof r.status === 'number' ? r.status : ORG_STATUS.ACTIVE,
    email: str(r.email),
    externalId: str(r.externalid),
    provider: str(r.provider),
    orgCode: str(r.orgcode),
    homeUrl: str(r.homeurl),
    imgUrl: str(r.imgurl),
    preferredLanguage: str(r.preferredlanguage),
    locationIds: list(r.locationids),
    orgLocation: json(r.orglocation, []),
    isSSOEnabled: r.issssoenabled === true,
    license: str(r.license),
    createdBy: str(r.createdby),
    createdDate: str(r.createddate) ?? '',
    updatedBy: str(r.updatedby),
    updatedDate: str(r.updateddate),
  };
}

/** Organisations. */
export class OrgTable extends RecordTable<OrgRecord> {
  constructor(cql: Cql) {
    super(cql, 'organisation', orgToRow, rowToOrg);
  }
}
