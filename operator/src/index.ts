/** @lern/operator: the LernInstallation API, its plan, the objects it renders and the operator. */
export { GROUP, VERSION, API_VERSION, KIND, PLURAL, INSTALLATION_LABEL, RETRY_ANNOTATION, FIELD_MANAGER } from './api/types.ts';
export type { LernInstallation, LernInstallationSpec, LernInstallationStatus, Condition, Phase, Reason, ComponentStatus } from './api/types.ts';
export {
  SERVICE_NAMES,
  JOB_NAMES,
  MIGRATION_STORES,
  SERVICE_CATALOGUE,
  JOB_CATALOGUE,
  RUNNABLE_SERVICES,
  RUNNABLE_JOBS,
  type CatalogueEntry,
  type ServiceName,
  type JobName,
  type MigrationStore,
  type Store,
} from './api/components.ts';
export { withDefaults, type SpecInput } from './api/defaults.ts';
export { lernInstallationCrd, lernInstallationCrdYaml, CEL_RULES } from './api/crd.ts';
export { validateSpec, type FieldError } from './api/validate.ts';
export { plan, type Plan, type Step } from './plan/plan.ts';
export type { Observed } from './plan/observed.ts';
export { Operator, type OperatorOptions } from './operator.ts';
export { KubeApi, KubeError } from './reconcile/kube.ts';
export { installCrd, applyManifest, parseManifest, ensureNamespace } from './install.ts';
export { operatorCommand, OPERATOR_HELP } from './main.ts';
export { upCommand, UP_HELP } from './up.ts';
