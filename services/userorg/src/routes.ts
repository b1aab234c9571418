/**
 * Every route of the service, one list per resource. A new resource adds one line: its
 * `xxxRoutes(deps)` function.
 */
import type { Route } from '@lern/kit';
import type { UserOrgDeps } from './context.ts';
import { locationRoutes } from './locations/routes.ts';
import { orgRoutes } from './orgs/routes.ts';
import { roleRoutes } from './roles/routes.ts';
import { settingRoutes } from './settings/routes.ts';
import { syncRoutes } from './sync/routes.ts';
import { userRoutes } from './users/routes.ts';

/** The route lists of the resources, in registration order. */
export const ROUTE_GROUPS: readonly ((deps: UserOrgDeps) => Route[])[] = [userRoutes, roleRoutes, orgRoutes, settingRoutes, locationRoutes, syncRoutes];

/** All routes of the service over one set of dependencies. */
export function userOrgRoutes(deps: UserOrgDeps): Route[] {
  return ROUTE_GROUPS.flatMap((group) => group(deps));
}
