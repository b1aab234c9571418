/** What follows every write to an organisation, in one place: the search document and the change event. */
import type { Caller } from '@lern/kit';
import { actorOf, INDEX, type UserOrgDeps } from '../context.ts';
import { toChangeEvent, type ChangeAction } from '../events.ts';
import type { OrgRecord } from '../records.ts';
import { orgView } from './views.ts';

/** After a committed write to `org`: index rewritten, change published. */
export async function afterOrgWrite(deps: UserOrgDeps, org: OrgRecord, change: { action: ChangeAction; caller: Caller | null; fields: readonly string[] }): Promise<void> {
  await Promise.all([
    deps.index(INDEX.org, org.id, orgView(org)),
    deps.publish(
      toChangeEvent({ action: change.action, objectType: 'Organisation', objectId: org.id, actor: actorOf(change.caller), changedFields: change.fields, channel: org.channel, rootOrgId: org.rootOrgId }),
    ),
  ]);
}
