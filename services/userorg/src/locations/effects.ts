/** What follows every write to a location, in one place: the search document and the change event. */
import type { Caller } from '@lern/kit';
import { actorOf, INDEX, type UserOrgDeps } from '../context.ts';
import { toChangeEvent, type ChangeAction } from '../events.ts';
import type { LocationRecord } from '../records.ts';

/** The location as API responses and the search index show it. */
export function locationView(l: LocationRecord): Record<string, unknown> {
  const view: Record<string, unknown> = { id: l.id, identifier: l.id, code: l.code, name: l.name, type: l.type };
  if (l.parentId) view.parentId = l.parentId;
  return view;
}

/** After a committed write (or delete) of a location: index rewritten (or the document removed), change published. */
export async function afterLocationWrite(
  deps: UserOrgDeps,
  location: LocationRecord,
  change: { action: ChangeAction; caller: Caller | null; fields: readonly string[] },
): Promise<void> {
  const indexed = change.action === 'delete' ? deps.unindex(INDEX.location, location.id) : deps.index(INDEX.location, location.id, locationView(location));
  await Promise.all([
    indexed,
    deps.publish(toChangeEvent({ action: change.action, objectType: 'Location', objectId: location.id, actor: actorOf(change.caller), changedFields: change.fields })),
  ]);
}
