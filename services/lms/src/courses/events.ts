/**
 * The content platform's post-publish event, as this service reads it (pure), and the dead-letter
 * message of an event it cannot use.
 *
 * Upstream's collection publisher (Sunbird knowlg `CollectionPublisher.getPostProcessEvent`) sends,
 * on `<env>.content.postpublish.request`, a `BE_JOB_REQUEST` with `edata.action` =
 * `post-publish-process` and the collection's identifier, mimeType, contentType, pkgVersion, status,
 * name and channel; Lern's relation-cache-updater then read the hierarchy from the content
 * platform's `hierarchy_store`. Lern does not reach into the content platform's database, so the
 * event it learns from carries the hierarchy document too, in `edata.hierarchy`:
 *
 * ```json
 * {"eid":"BE_JOB_REQUEST","ets":1649170015935,"mid":"LP.1649170015935.2a73...",
 *  "actor":{"id":"Post Publish Processor","type":"System"},
 *  "context":{"pdata":{"ver":"1.0","id":"org.sunbird.platform"},"channel":"0127...","env":"dev"},
 *  "object":{"ver":"1649169952265","id":"do_2135..."},
 *  "edata":{"action":"post-publish-process","iteration":1,"identifier":"do_2135...",
 *    "channel":"0127...","mimeType":"application/vnd.ekstep.content-collection","contentType":"Course",
 *    "pkgVersion":1,"status":"Live","name":"Course 1",
 *    "hierarchy":{"identifier":"do_2135...","mimeType":"application/vnd.ekstep.content-collection",
 *      "children":[{"identifier":"do_unit1","mimeType":"application/vnd.ekstep.content-collection",
 *        "children":[{"identifier":"do_content1","mimeType":"video/mp4"}]}]}}}
 * ```
 *
 * Other actions (upstream also sends `relation-cache-update`, handled the same) and other mimeTypes
 * are skipped; a collection event without a usable hierarchy goes to the dead-letter topic.
 */
import { COLLECTION_MIME_TYPE, parseHierarchy, type CourseStructure } from './hierarchy.ts';

/** The topic (without the installation's prefix) the content platform publishes on. */
export const POST_PUBLISH_TOPIC = 'content.postpublish.request';
/** Where unusable events go, with the reason. */
export const POST_PUBLISH_DEAD_LETTER_TOPIC = `${POST_PUBLISH_TOPIC}.failed`;
/** The actions that carry a published collection. */
export const STRUCTURE_ACTIONS: readonly string[] = ['post-publish-process', 'relation-cache-update'];
/** `jobName` of dead-letter messages. */
export const CONSUMER_NAME = 'lms-course-structure';

/** What to do with one event. */
export type EventDecision =
  | { kind: 'apply'; structure: CourseStructure }
  | { kind: 'skip'; reason: string }
  | { kind: 'invalid'; errorCode: string; error: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function parseJson(raw: string | null): unknown {
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** Decides what an event on the post-publish topic means for the course structures. */
export function decodePostPublishEvent(raw: string | null): EventDecision {
  const event = parseJson(raw);
  if (!isObject(event)) return { kind: 'invalid', errorCode: 'ERR_EVENT_FORMAT', error: 'the message is not a JSON object' };
  const edata = event.edata;
  if (!isObject(edata)) return { kind: 'invalid', errorCode: 'ERR_EVENT_FORMAT', error: 'edata is missing' };
  const action = str(edata.action);
  if (action === null || !STRUCTURE_ACTIONS.includes(action)) return { kind: 'skip', reason: `action ${action ?? '(none)'}` };
  const mimeType = str(edata.mimeType);
  if (mimeType !== null && mimeType.toLowerCase() !== COLLECTION_MIME_TYPE) return { kind: 'skip', reason: `mimeType ${mimeType}` };
  const identifier = str(edata.identifier) ?? (isObject(event.object) ? str(event.object.id) : null);
  if (identifier === null) return { kind: 'invalid', errorCode: 'ERR_EVENT_FORMAT', error: 'edata.identifier is missing' };
  if (edata.hierarchy === undefined || edata.hierarchy === null) {
    return { kind: 'invalid', errorCode: 'ERR_HIERARCHY_MISSING', error: `edata.hierarchy is missing for ${identifier}` };
  }
  const version = Number(edata.pkgVersion);
  const context = isObject(event.context) ? event.context : {};
  const parsed = parseHierarchy(edata.hierarchy, {
    name: str(edata.name),
    channel: str(edata.channel) ?? str(context.channel),
    status: str(edata.status),
    pkgVersion: edata.pkgVersion !== undefined && edata.pkgVersion !== null && Number.isFinite(version) ? version : null,
  });
  if (!parsed.ok) return { kind: 'invalid', errorCode: 'ERR_HIERARCHY_INVALID', error: parsed.error };
  if (parsed.value.courseId !== identifier) {
    return { kind: 'invalid', errorCode: 'ERR_HIERARCHY_INVALID', error: `hierarchy.identifier ${parsed.value.courseId} is not edata.identifier ${identifier}` };
  }
  return { kind: 'apply', structure: parsed.value };
}

/** Where a message came from. */
export interface MessageSource {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * The dead-letter message of an unusable event, as upstream's jobs write failed events: the event
 * itself with `jobName` and `failInfo` (error code and text, where it was read, when it failed); a
 * message that is not a JSON object is kept as text in `event`.
 */
export function deadLetterMessage(raw: string | null, failure: { errorCode: string; error: string }, source: MessageSource, failedAt: Date): Record<string, unknown> {
  const event = parseJson(raw);
  const failInfo = { errorCode: failure.errorCode, error: failure.error, ...source, failedAt: failedAt.toISOString() };
  if (isObject(event)) return { ...event, jobName: CONSUMER_NAME, failInfo };
  return { event: raw, jobName: CONSUMER_NAME, failInfo };
}
