/**
 * The course structure route. Lern does not own content: structures are learnt from the content
 * platform's post-publish events (consumer.ts); this route registers one by hand. Policy `admin`:
 * administrators only, narrowed by the handler to administrators of the owning root organisation.
 */
import { defineRoute, type Route } from '@lern/kit';
import type { LmsDeps } from '../context.ts';
import { lmsValidation } from '../errors.ts';
import { registerHierarchy } from './register.ts';
import { RegisterHierarchyBody, RegisterHierarchyResult } from './schemas.ts';

/** Every course structure route. */
export function courseStructureRoutes(deps: LmsDeps): Route[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/course/hierarchy/register',
      policy: 'admin',
      validationError: lmsValidation(),
      schema: { body: RegisterHierarchyBody, result: RegisterHierarchyResult },
      summary: "Register a course's hierarchy (Lern's own addition)",
      description:
        'Not an upstream lms-service route. Installations without a content platform register the units and contents of a course ' +
        'here; with one, Lern learns them from its post-publish events. Administrators of the owning root organisation (channel).',
      tags: ['course'],
      handler: async (req) => ({ response: 'SUCCESS' as const, ...(await registerHierarchy(deps, req.body.request, req.caller!)) }),
    }),
  ];
}
