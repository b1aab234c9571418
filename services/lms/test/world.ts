/**
 * The people and organisations the batch suites act with: a tenant R with a sub-organisation S,
 * another tenant O, their staff and administrators, and a published course of R.
 */
import { call, day, registerCourse, uid, type Fixture } from './helpers.ts';

/** A caller of the suites. */
export interface Actor {
  id: string;
  token: string;
}

/** The suites' world. */
export interface World {
  rootOrg: string;
  subOrg: string;
  otherRoot: string;
  /** ORG_ADMIN of R. */
  admin: Actor;
  /** CONTENT_CREATOR in R. */
  creator: Actor;
  /** COURSE_MENTOR in R. */
  mentor: Actor;
  /** A user of R without roles. */
  member: Actor;
  /** CONTENT_CREATOR in O. */
  otherCreator: Actor;
  /** SYSTEM_ADMINISTRATION in the system scope. */
  sysadmin: Actor;
  /** A Live course of R. */
  courseId: string;
}

/** Seeds the world. */
export async function seedWorld(f: Fixture): Promise<World> {
  const rootOrg = await f.seedOrg();
  const subOrg = await f.seedOrg({ rootOrgId: rootOrg });
  const otherRoot = await f.seedOrg();
  const admin = await f.caller('ORG_ADMIN', [rootOrg]);
  const creator = await f.caller('CONTENT_CREATOR', [rootOrg]);
  const mentor = await f.caller('COURSE_MENTOR', [rootOrg]);
  const member = await f.caller(null, [], rootOrg);
  const otherCreator = await f.caller('CONTENT_CREATOR', [otherRoot]);
  const sysadmin = await f.caller('SYSTEM_ADMINISTRATION', ['*'], null);
  const courseId = await registerCourse(f, admin.token, rootOrg);
  return { rootOrg, subOrg, otherRoot, admin, creator, mentor, member, otherCreator, sysadmin, courseId };
}

/** A create request for the world's course, starting tomorrow, with `extra` fields. */
export function batchRequest(w: World, extra: Record<string, unknown> = {}): { request: Record<string, unknown> } {
  return { request: { courseId: w.courseId, name: `Batch ${uid('b')}`, enrollmentType: 'open', startDate: day(1), endDate: day(30), ...extra } };
}

/** Creates a batch as `actor` and returns its id (fails the test otherwise). */
export async function createBatch(f: Fixture, actor: Actor, body: { request: Record<string, unknown> }): Promise<string> {
  const res = await call(f, 'POST', '/v1/course/batch/create', { token: actor.token, body });
  if (res.status !== 200) throw new Error(`batch create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { result: { batchId: string } }).result.batchId;
}
