/**
 * Template routes. Templates are installation-wide: system administrators change them; any
 * administrator may read them (upstream: the gateway's admin ACLs).
 */
import { LernError, defineRoute, notFound, type Route } from '@lern/kit';
import type { NotificationDeps } from '../context.ts';
import { invalidRequest, plainValidation } from '../errors.ts';
import { SuccessResult } from '../schemas.ts';
import { created, schemaProblem, templateView, updated } from './operations.ts';
import { ActionParams, ActionResult, ActionUpdateBody, CreateTemplateBody, DeleteTemplateBody, ListResult, UpdateTemplateBody } from './schemas.ts';

const SUCCESS = { response: 'SUCCESS' as const };
const missingTemplate = (id: string) => notFound('TEMPLATE_NOT_FOUND', `Template ${id} does not exist`);

function checkSchema(text: string | undefined): void {
  const problem = schemaProblem(text);
  if (problem) throw invalidRequest(problem);
}

export function templateRoutes(deps: NotificationDeps): Route[] {
  const t = deps.templates;
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/notification/template/list',
      policy: 'admin',
      validationError: plainValidation,
      schema: { result: ListResult },
      summary: 'List the notification templates',
      tags: ['template'],
      handler: async () => ({ templates: (await t.list()).map(templateView) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/notification/template/create',
      policy: 'systemAdmin',
      errors: [409],
      validationError: plainValidation,
      schema: { body: CreateTemplateBody, result: SuccessResult },
      summary: 'Create a notification template',
      tags: ['template'],
      handler: async (req) => {
        const input = req.body.request;
        checkSchema(input.template_schema);
        if (await t.get(input.templateId)) throw new LernError('CONFLICT', 'TEMPLATE_ALREADY_EXISTS', `Template ${input.templateId} already exists`);
        await t.put(created(input, req.caller!.userId, deps.now()));
        return SUCCESS;
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/notification/template/update',
      policy: 'systemAdmin',
      errors: [404],
      validationError: plainValidation,
      schema: { body: UpdateTemplateBody, result: SuccessResult },
      summary: 'Update a notification template',
      tags: ['template'],
      handler: async (req) => {
        const input = req.body.request;
        checkSchema(input.template_schema);
        const current = await t.get(input.templateId);
        if (!current) throw missingTemplate(input.templateId);
        await t.put(updated(current, input, req.caller!.userId, deps.now()));
        return SUCCESS;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/notification/template/delete',
      policy: 'systemAdmin',
      validationError: plainValidation,
      schema: { body: DeleteTemplateBody, result: SuccessResult },
      summary: 'Delete a notification template (absent ones are a no-op)',
      tags: ['template'],
      handler: async (req) => {
        await t.remove(req.body.request.templateId);
        return SUCCESS;
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/notification/template/action/update',
      policy: 'systemAdmin',
      errors: [404],
      validationError: plainValidation,
      schema: { body: ActionUpdateBody, result: SuccessResult },
      summary: 'Map an action type to the template it is rendered with',
      tags: ['template'],
      handler: async (req) => {
        const { action, templateId, type } = req.body.request;
        if (!(await t.get(templateId))) throw missingTemplate(templateId);
        await t.putMapping({ action, templateId, type }, req.caller!.userId, deps.now());
        return SUCCESS;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/notification/template/:action',
      policy: 'admin',
      errors: [404],
      validationError: plainValidation,
      schema: { params: ActionParams, result: ActionResult },
      summary: 'The template an action type is rendered with',
      tags: ['template'],
      handler: async (req) => {
        const { action } = req.params;
        const mapping = await t.mapping(action);
        const template = mapping ? await t.get(mapping.templateId) : null;
        if (!mapping || !template) throw notFound('TEMPLATE_NOT_FOUND', `Template is not pre configured for ${action} type`);
        return { action, type: mapping.type, template: templateView(template) };
      },
    }),
  ];
}
