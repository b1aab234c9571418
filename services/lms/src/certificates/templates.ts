/**
 * Certificate templates on a batch (pure). Upstream stores each template as a map of texts in
 * `course_batch.cert_templates[<identifier>]`, objects serialised as JSON (criteria, issuer,
 * signatoryList, notifyTemplate, additionalProps), and shows them parsed back. The criteria say when
 * a certificate is issued: on completion (`enrollment.status`, 2 = completed), on an assessment
 * score (`assessment.score` with `>=`, `<=` or `eq`), and optionally for users of a root organisation
 * (`user.rootOrgId`); the collection-cert-pre-processor job reads them.
 */
import type { StoredTemplate } from '../batches/store.ts';

/** A score bound of an assessment criterion. */
export type ScoreCriterion = { '>=': number } | { '<=': number } | { eq: number };

/** When a certificate is issued. */
export interface TemplateCriteria {
  enrollment?: { status: number | string };
  assessment?: { score: ScoreCriterion };
  user?: { rootOrgId: string };
}

/** A signatory printed on the certificate. */
export interface Signatory {
  name: string;
  id: string;
  designation: string;
  image: string;
}

/** A template as a request adds it. */
export interface TemplateRequest {
  identifier: string;
  name?: string;
  url?: string;
  criteria: TemplateCriteria;
  issuer: { name: string; url?: string; publicKey?: (string | number)[]; [key: string]: unknown };
  signatoryList: Signatory[];
  notifyTemplate?: object;
  additionalProps?: object;
}

/** Fields stored as JSON text. */
const JSON_FIELDS = ['criteria', 'issuer', 'signatoryList', 'notifyTemplate', 'additionalProps'] as const;

/**
 * The criteria as stored: an enrollment status given as text ("2", as upstream's own tests send it)
 * becomes the number the jobs compare with.
 */
export function normalisedCriteria(criteria: TemplateCriteria): TemplateCriteria {
  if (!criteria.enrollment) return criteria;
  const status = criteria.enrollment.status;
  return { ...criteria, enrollment: { status: typeof status === 'string' ? Number(status) : status } };
}

/** A template request as the map of texts stored on the batch. */
export function toStoredTemplate(template: TemplateRequest): StoredTemplate {
  const stored: StoredTemplate = {
    identifier: template.identifier,
    name: template.name ?? template.identifier,
    url: template.url ?? '',
  };
  const withCriteria = { ...template, criteria: normalisedCriteria(template.criteria) };
  for (const field of JSON_FIELDS) {
    const value = withCriteria[field];
    if (value !== undefined) stored[field] = JSON.stringify(value);
  }
  return stored;
}

/** A stored template as the API shows it: JSON fields parsed (an unreadable one is shown as stored). */
export function templateView(stored: StoredTemplate): Record<string, unknown> {
  const view: Record<string, unknown> = { ...stored };
  for (const field of JSON_FIELDS) {
    const raw = stored[field];
    if (raw === undefined) continue;
    try {
      view[field] = JSON.parse(raw) as unknown;
    } catch {
      view[field] = raw;
    }
  }
  return view;
}

/** Every template of a batch as the API shows them. */
export function templatesView(templates: Record<string, StoredTemplate>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(templates).map(([id, t]) => [id, templateView(t)]));
}
