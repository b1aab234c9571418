/**
 * Certificate template routes. Upstream: ACL certificateCreate / courseAdmin and the OPA roles
 * CONTENT_CREATOR, COURSE_CREATOR, COURSE_MENTOR; here any signed-in caller reaches the handler,
 * which admits those who manage the batch (its creator or mentors holding a staff role, or
 * administrators of its organisations) and answers 403 to others.
 */
import { defineRoute, type Route } from '@lern/kit';
import type { LmsDeps } from '../context.ts';
import { lmsValidation, type IssueReading } from '../errors.ts';
import { SuccessResult } from '../schemas.ts';
import { addTemplate, removeTemplate } from './operations.ts';
import { AddTemplateBody, RemoveTemplateBody } from './schemas.ts';

const SUCCESS = { response: 'SUCCESS' as const };

/** Criteria naming neither completion nor a score: upstream's wording. */
const criteriaReading: IssueReading = (issue) =>
  issue.kind === 'missing' && issue.path === 'request.batch.template.criteria.enrollment' ? { key: 'mandatoryParamsMissing', args: ['Enrollment or Status'] } : undefined;

/** The template routes (certificate issue is a separate resource). */
export function certificateTemplateRoutes(deps: LmsDeps): Route[] {
  return [
    defineRoute({
      method: 'PATCH',
      url: '/v1/course/batch/cert/template/add',
      policy: 'authenticated',
      errors: [403],
      validationError: lmsValidation(criteriaReading),
      schema: { body: AddTemplateBody, result: SuccessResult },
      summary: "Add a certificate template to a batch (criteria: completion and/or score)",
      tags: ['certificate'],
      handler: async (req) => {
        await addTemplate(deps, req.body.request, req.caller!);
        return SUCCESS;
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/course/batch/cert/template/remove',
      policy: 'authenticated',
      errors: [403],
      validationError: lmsValidation(),
      schema: { body: RemoveTemplateBody, result: SuccessResult },
      summary: "Remove a certificate template from a batch",
      tags: ['certificate'],
      handler: async (req) => {
        await removeTemplate(deps, req.body.request, req.caller!);
        return SUCCESS;
      },
    }),
  ];
}
