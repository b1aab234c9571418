/** Template decisions, pure: records from requests, updates merged, views for the API. */

/** A notification_template row. */
export interface TemplateRecord {
  templateId: string;
  data: string;
  template_schema: string | null;
  type: string;
  ver: string | null;
  config: Record<string, string> | null;
  createdBy: string | null;
  createdOn: Date | null;
  lastUpdatedBy: string | null;
  lastUpdatedOn: Date | null;
}

/** An action_template row. */
export interface ActionMapping {
  action: string;
  templateId: string;
  type: string | null;
}

export interface TemplateInput {
  templateId: string;
  data?: string | undefined;
  template_schema?: string | undefined;
  type?: string | undefined;
  ver?: string | undefined;
  config?: Record<string, string> | undefined;
}

/** Why a template_schema cannot be used (it must be a JSON object), or undefined. */
export function schemaProblem(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : 'template_schema must be a JSON object';
  } catch {
    return 'template_schema is not valid JSON';
  }
}

/** A new template. */
export function created(input: TemplateInput & { data: string; template_schema: string; type: string }, by: string, at: Date): TemplateRecord {
  return {
    templateId: input.templateId,
    data: input.data,
    template_schema: input.template_schema,
    type: input.type,
    ver: input.ver ?? null,
    config: input.config ?? null,
    createdBy: by,
    createdOn: at,
    lastUpdatedBy: null,
    lastUpdatedOn: null,
  };
}

/** The stored template with the given fields replaced. */
export function updated(current: TemplateRecord, input: TemplateInput, by: string, at: Date): TemplateRecord {
  return {
    ...current,
    ...(input.data !== undefined ? { data: input.data } : {}),
    ...(input.template_schema !== undefined ? { template_schema: input.template_schema } : {}),
    ...(input.type !== undefined ? { type: input.type } : {}),
    ...(input.ver !== undefined ? { ver: input.ver } : {}),
    ...(input.config !== undefined ? { config: input.config } : {}),
    lastUpdatedBy: by,
    lastUpdatedOn: at,
  };
}

/** A template as the API shows it (epoch millis for times). */
export function templateView(t: TemplateRecord) {
  return {
    templateId: t.templateId,
    data: t.data,
    template_schema: t.template_schema,
    type: t.type,
    ver: t.ver,
    config: t.config,
    createdBy: t.createdBy,
    createdOn: t.createdOn?.getTime() ?? null,
    lastUpdatedBy: t.lastUpdatedBy,
    lastUpdatedOn: t.lastUpdatedOn?.getTime() ?? null,
  };
}
