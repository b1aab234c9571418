import { INSTALLATION_LABEL, type LernInstallation } from '../api/types.ts';

/** What kind of workload a child belongs to (app.kubernetes.io/component). */
export type ComponentKind = 'service' | 'job' | 'migration' | 'installation';

/** Label naming the component a child belongs to; used in selectors (stable across versions). */
export const COMPONENT_LABEL = 'lern.sunbird.org/component';
/** Label on migration Jobs naming the store. */
export const STORE_LABEL = 'lern.sunbird.org/store';
/** Label on migration Jobs carrying their content hash. */
export const HASH_LABEL = 'lern.sunbird.org/hash';
/** The operator's name in app.kubernetes.io/managed-by. */
export const MANAGED_BY = 'lern-operator';

/**
 * Labels every child carries. Deliberately without app.kubernetes.io/instance: Argo CD tracks
 * application resources by that label, and children would look like out-of-sync app resources.
 */
export function childLabels(installation: LernInstallation, component: string, kind: ComponentKind, version: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': component,
    'app.kubernetes.io/component': kind,
    'app.kubernetes.io/version': version,
    'app.kubernetes.io/part-of': 'lern',
    'app.kubernetes.io/managed-by': MANAGED_BY,
    [INSTALLATION_LABEL]: installation.metadata.name,
    [COMPONENT_LABEL]: component,
  };
}

/** Labels that select one component's pods; never change across versions (selectors are immutable). */
export function selectorLabels(installation: LernInstallation, component: string): Record<string, string> {
  return { [INSTALLATION_LABEL]: installation.metadata.name, [COMPONENT_LABEL]: component };
}

/** Labels every pod of the installation carries (services, jobs and migrations alike). */
export function installationSelector(installation: LernInstallation): Record<string, string> {
  return { [INSTALLATION_LABEL]: installation.metadata.name };
}

/**
 * True when an object's labels say the operator made it for this installation: managed-by the
 * operator and naming the installation. Anything else with the same name (made by a person, a
 * chart, another installation) is not the operator's to overwrite or delete.
 */
export function carriesOwnership(labels: Readonly<Record<string, string>> | undefined, installation: LernInstallation): boolean {
  return labels?.['app.kubernetes.io/managed-by'] === MANAGED_BY && labels[INSTALLATION_LABEL] === installation.metadata.name;
}

/** Owner reference to the installation: Kubernetes collects children when it is deleted. */
export function ownerReference(installation: LernInstallation): Record<string, unknown> {
  return {
    apiVersion: installation.apiVersion,
    kind: installation.kind,
    name: installation.metadata.name,
    uid: installation.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}
