/**
 * Which CSV columns each kind of upload accepts (upstream BaseBulkUploadActor.validateFileHeaderFields
 * and the actors of each kind). User and organisation uploads read their columns from the system
 * settings `userProfileConfig` / `orgProfileConfig` (`csv.supportedColumns`: display name -> field,
 * `csv.mandatoryColumns`), matched without regard to case; without a setting, the fixed field lists
 * below apply as they are. Location uploads always need exactly code, name, parentCode and parentId.
 */
import { LernError, formatMessage, MESSAGES } from '@lern/kit';

/** The kinds of upload. */
export type BulkObjectType = 'user' | 'organisation' | 'location';

/** Upstream DataCacheHandler.bulkUserAllowedFields. */
export const USER_FIELDS = [
  'firstName', 'lastName', 'phone', 'countryCode', 'email', 'userName', 'roles', 'position', 'location', 'dob', 'language',
  'profileSummary', 'subject', 'externalIdProvider', 'externalId', 'externalIdType', 'externalIds',
] as const;

/** Upstream DataCacheHandler.bulkOrgAllowedFields. */
export const ORG_FIELDS = ['orgName', 'channel', 'isTenant', 'provider', 'externalId', 'description', 'homeUrl', 'organisationType', 'contactDetail', 'locationId', 'locationCode'] as const;

/** Upstream LocationBulkUploadActor.bulkLocationAllowedFields (all mandatory). */
export const LOCATION_FIELDS = ['code', 'name', 'parentCode', 'parentId'] as const;

/** The system setting with the CSV columns of a kind of upload. */
export function columnsSetting(type: 'user' | 'organisation'): string {
  return type === 'user' ? 'userProfileConfig' : 'orgProfileConfig';
}

/** How a file's header is checked and its columns named. */
export interface ColumnRules {
  /** Accepted header names (lower-cased when caseInsensitive). */
  allowed: readonly string[];
  caseInsensitive: boolean;
  /** Every allowed column must be present. */
  allMandatory: boolean;
  /** Fields that must be among the mapped columns. */
  mandatoryFields: readonly string[];
  /** Header name (lower-cased when caseInsensitive) -> field name; unmapped headers keep their name. */
  fieldOf: ReadonlyMap<string, string>;
}

/** `csv` of a profile-config setting: {supportedColumns, mandatoryColumns}; null when absent or unreadable. */
export function csvConfigOf(setting: string | null): { supportedColumns: Record<string, string>; mandatoryColumns: string[] } | null {
  if (setting === null) return null;
  try {
    const csv = (JSON.parse(setting) as { csv?: { supportedColumns?: unknown; mandatoryColumns?: unknown } }).csv;
    if (!csv || typeof csv.supportedColumns !== 'object' || csv.supportedColumns === null) return null;
    const supportedColumns: Record<string, string> = {};
    for (const [k, v] of Object.entries(csv.supportedColumns)) if (typeof v === 'string') supportedColumns[k] = v;
    const mandatoryColumns = Array.isArray(csv.mandatoryColumns) ? csv.mandatoryColumns.filter((c): c is string => typeof c === 'string') : [];
    return { supportedColumns, mandatoryColumns };
  } catch {
    return null;
  }
}

/** The column rules of a kind of upload, given its profile-config setting (users, organisations). */
export function columnRules(type: BulkObjectType, setting: string | null): ColumnRules {
  if (type === 'location') return { allowed: LOCATION_FIELDS, caseInsensitive: false, allMandatory: true, mandatoryFields: [], fieldOf: new Map() };
  const config = csvConfigOf(setting);
  if (config === null) {
    return { allowed: type === 'user' ? USER_FIELDS : ORG_FIELDS, caseInsensitive: false, allMandatory: false, mandatoryFields: [], fieldOf: new Map() };
  }
  const fieldOf = new Map<string, string>();
  for (const [display, field] of Object.entries(config.supportedColumns)) {
    fieldOf.set(display.toLowerCase(), field);
    fieldOf.set(field.toLowerCase(), field);
  }
  return { allowed: [...fieldOf.keys()], caseInsensitive: true, allMandatory: false, mandatoryFields: config.mandatoryColumns, fieldOf };
}

/** Checks a header line; returns the field name of each column. `prefix` is the upload's err prefix. */
export function checkHeader(header: readonly string[], rules: ColumnRules, prefix: string): string[] {
  const names = header.map((h) => h.trim());
  const keyOf = (name: string): string => (rules.caseInsensitive ? name.toLowerCase() : name);
  if (rules.allMandatory) {
    for (const column of rules.allowed) {
      if (!names.some((n) => keyOf(n) === column)) throw new LernError('CLIENT_ERROR', `${prefix}0030`, formatMessage(MESSAGES.mandatoryParamsMissing, column));
    }
  }
  for (const name of names) {
    if (!rules.allowed.includes(keyOf(name))) {
      throw new LernError('CLIENT_ERROR', `${prefix}0020`, formatMessage('Invalid column: {0}. Valid columns are: {1}.', name, rules.allowed.join(', ')));
    }
  }
  const fields = names.map((n) => rules.fieldOf.get(keyOf(n)) ?? n);
  for (const field of rules.mandatoryFields) {
    if (!fields.includes(field)) throw new LernError('CLIENT_ERROR', `${prefix}0030`, formatMessage(MESSAGES.mandatoryParamsMissing, field));
  }
  return fields;
}

/** A data line as a record of field -> trimmed value (blank cells are null), as upstream stores a task. */
export function rowRecord(fields: readonly string[], cells: readonly string[]): Record<string, string | null> {
  const record: Record<string, string | null> = {};
  for (let j = 0; j < fields.length && j < cells.length; j++) {
    const value = cells[j]!.trim();
    record[fields[j]!] = value === '' ? null : value;
  }
  return record;
}
