{{- define "lern-operator.name" -}}lern-operator{{- end -}}

{{- define "lern-operator.fullname" -}}
{{- if contains "lern-operator" .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-lern-operator" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "lern-operator.labels" -}}
app.kubernetes.io/name: lern-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: lern
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "lern-operator.selector" -}}
app.kubernetes.io/name: lern-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Rules for the children and the installations: exactly the verbs the operator uses. */}}
{{- define "lern-operator.rules" -}}
- apiGroups: ["lern.sunbird.org"]
  resources: ["lerninstallations"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["lern.sunbird.org"]
  resources: ["lerninstallations/status"]
  verbs: ["update"]
# Owner references with blockOwnerDeletion need update on the owner's finalizers.
- apiGroups: ["lern.sunbird.org"]
  resources: ["lerninstallations/finalizers"]
  verbs: ["update"]
# Server-side apply creates (create) and updates (patch); pruning and retries delete. Reads come from
# watches; before creating, a same-named object is looked up with list (field selector on the name).
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["services", "configmaps", "serviceaccounts"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["list", "watch", "create", "patch", "delete"]
# Each installation's NetworkPolicy (spec.networkPolicy).
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end -}}
