/**
 * The AUDIT event the cleanup leaves behind (pure), in the telemetry shape upstream's job emits
 * (`edata.type` DeleteUserStatus), on `telemetry.audit`. It names ids only, never personal data.
 */

/** Topic of audit events (without the prefix). */
export const AUDIT_TOPIC = 'telemetry.audit';

/** What one user's cleanup did, for the audit event. */
export interface CleanupReport {
  userId: string;
  /** The root organisation (the telemetry channel). */
  organisationId: string | null;
  lookupsRemoved: number;
  externalIdentitiesRemoved: number;
  organisationsLeft: number;
  userBlanked: boolean;
  /** The user this one was managed by, for managed users cleaned up with their manager. */
  managedBy: string | null;
}

/** Builds the AUDIT event of one user's cleanup; `mid` is derived from the user, so a repeat is recognisable downstream. */
export function toAuditEvent(report: CleanupReport, at: number): { key: string; value: Record<string, unknown> } {
  const props = [
    `userLookUpTable:${report.lookupsRemoved}`,
    `userExternalIdTable:${report.externalIdentitiesRemoved}`,
    `userOrgTable:${report.organisationsLeft}`,
    `userTable:${report.userBlanked}`,
    'searchIndex:true',
    'cache:true',
  ];
  const cdata: { type: string; id: string }[] = [{ type: 'User', id: report.userId }];
  if (report.managedBy) cdata.push({ type: 'ManagedBy', id: report.managedBy });
  return {
    key: report.userId,
    value: {
      eid: 'AUDIT',
      ets: at,
      ver: '3.0',
      mid: `LERN.user-deletion-cleanup.${report.userId}`,
      actor: { id: report.userId, type: 'User' },
      context: { channel: report.organisationId ?? '', env: 'User', pdata: { id: 'org.sunbird.lern', pid: 'user-deletion-cleanup', ver: '1.0' }, cdata },
      object: { id: report.userId, type: 'User' },
      edata: { type: 'DeleteUserStatus', status: 'Delete', props },
    },
  };
}
