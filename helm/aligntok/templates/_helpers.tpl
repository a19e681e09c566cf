{{/* Chart name, truncated to the 63 characters a label value allows. */}}
{{- define "aligntok.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name; the StatefulSet's pod names add "-N", so stay well under 63. */}}
{{- define "aligntok.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "aligntok.headlessName" -}}
{{ include "aligntok.fullname" . }}-headless
{{- end }}

{{- define "aligntok.selectorLabels" -}}
app.kubernetes.io/name: {{ include "aligntok.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "aligntok.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "aligntok.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: stream-app
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "aligntok.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "aligntok.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The image tag says which ONNX Runtime build is inside: <appVersion>-cpu or <appVersion>-gpu. */}}
{{- define "aligntok.image" -}}
{{- $tag := default (printf "%s-%s" .Chart.AppVersion .Values.image.flavor) .Values.image.tag }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}

{{- define "aligntok.usesTls" -}}
{{- if has .Values.kafka.securityProtocol (list "SSL" "SASL_SSL") }}true{{ end }}
{{- end }}

{{- define "aligntok.usesSasl" -}}
{{- if has .Values.kafka.securityProtocol (list "SASL_PLAINTEXT" "SASL_SSL") }}true{{ end }}
{{- end }}

{{- define "aligntok.kafkaTlsDir" -}}
/etc/aligntok/kafka-tls
{{- end }}

{{/* Where the app finds the bundle directory. */}}
{{- define "aligntok.bundlePath" -}}
{{ trimSuffix "/" .Values.bundle.mountPath }}/{{ .Values.bundle.directory }}
{{- end }}

{{/*
Rules the JSON schema cannot state with a clear message (comparisons of two values, literals that
look like secrets). Rendering stops with the reason.
*/}}
{{- define "aligntok.validate" -}}
{{- $jwt := .Values.auth.jwt | default dict }}
{{- if and .Values.auth.enabled $jwt.existingSecret $jwt.issuer (not $jwt.audience) (ne (toString $jwt.requireAudience) "false") }}
{{- fail (printf "auth.jwt.issuer (%s) is set but auth.jwt.audience is empty: tokens the issuer makes for other services would pass; set the audience, or auth.jwt.requireAudience=false if the issuer serves this service alone" $jwt.issuer) }}
{{- end }}
{{- if eq (int .Values.service.port) (int .Values.service.managementPort) }}
{{- fail (printf "service.managementPort (%d) must differ from service.port" (int .Values.service.managementPort)) }}
{{- end }}
{{- if ge (int .Values.kafka.closeTimeoutSeconds) (int .Values.terminationGracePeriodSeconds) }}
{{- fail (printf "kafka.closeTimeoutSeconds (%d) must be below terminationGracePeriodSeconds (%d): the pod would be killed before the in-flight batch commits" (int .Values.kafka.closeTimeoutSeconds) (int .Values.terminationGracePeriodSeconds)) }}
{{- end }}
{{- if and (ge (int64 .Values.generate.blobThresholdBytes) 0) (not .Values.blobStore.outputRoot) }}
{{- fail (printf "generate.blobThresholdBytes (%d) sends large images to the blob store, but blobStore.outputRoot is empty" (int64 .Values.generate.blobThresholdBytes)) }}
{{- end }}
{{- if and .Values.auth.enabled (not .Values.tokenize.ownerSecret) }}
{{- fail "tokenize.ownerSecret is empty while auth.enabled is true: callers' uploads and generation requests carry owners that only a key shared by every pod can prove; name a Secret whose tokenize.ownerSecretKey entry holds at least 32 random bytes (kubectl create secret generic aligntok-owner-secret --from-literal=owner-secret=\"$(openssl rand -base64 48)\")" }}
{{- end }}
{{- if and .Values.webhooks.enabled (not .Values.webhooks.existingSecret) }}
{{- fail "webhooks.enabled is true but webhooks.existingSecret is empty: name a Secret whose webhooks.secretKey entry holds the signing secret (whsec_<base64 of 24..64 random bytes>)" }}
{{- end }}
{{- if not (or .Values.tokenize.enabled .Values.generate.enabled) }}
{{- fail "tokenize.enabled and generate.enabled are both false: enable at least one topology" }}
{{- end }}
{{- range $list := list (dict "key" "extraEnv" "env" .Values.extraEnv) (dict "key" "bundle.initContainer.env" "env" .Values.bundle.initContainer.env) }}
{{- range $i, $e := $list.env }}
{{- if and (hasKey $e "value") (regexMatch "(?i)(password|passwd|secret|token|api_?key|credential)" $e.name) }}
{{- fail (printf "%s[%d] (%s) holds a literal value that looks like a secret: reference a Secret with valueFrom.secretKeyRef instead" $list.key $i $e.name) }}
{{- end }}
{{- end }}
{{- end }}
{{- range $name, $value := merge (dict) .Values.kafka.properties .Values.schemaRegistry.properties }}
{{- if and (regexMatch "(?i)(password|jaas|secret|token)" $name) (not (regexMatch "\\$\\{[A-Z0-9_]+\\}" (toString $value))) }}
{{- fail (printf "%s holds a literal credential: write it as a ${ENV_VAR} placeholder and set that variable from a Secret (extraEnv with valueFrom.secretKeyRef)" $name) }}
{{- end }}
{{- end }}
{{- $partitions := int .Values.topics.partitions }}
{{- if gt (int .Values.replicaCount) $partitions }}
{{- fail (printf "replicaCount (%d) exceeds topics.partitions (%d): a Kafka Streams instance beyond the partition count gets no task and only idles" (int .Values.replicaCount) $partitions) }}
{{- end }}
{{- with .Values.autoscaling }}
{{- if and .keda.enabled .hpa.enabled }}
{{- fail "autoscaling.keda.enabled and autoscaling.hpa.enabled are both true: choose one autoscaler (KEDA manages an HPA of its own)" }}
{{- end }}
{{- if and .keda.enabled (gt (int .keda.maxReplicas) $partitions) }}
{{- fail (printf "autoscaling.keda.maxReplicas (%d) exceeds topics.partitions (%d): replicas beyond the partition count get no task" (int .keda.maxReplicas) $partitions) }}
{{- end }}
{{- if and .hpa.enabled (gt (int .hpa.maxReplicas) $partitions) }}
{{- fail (printf "autoscaling.hpa.maxReplicas (%d) exceeds topics.partitions (%d): replicas beyond the partition count get no task" (int .hpa.maxReplicas) $partitions) }}
{{- end }}
{{- if and .keda.enabled (include "aligntok.usesTls" $) (not .keda.triggerAuthenticationName) (not .keda.tls.caSecret) }}
{{- fail "autoscaling.keda.tls.caSecret is empty: with kafka.securityProtocol SSL or SASL_SSL, KEDA needs the brokers' PEM CA certificate (or name your own autoscaling.keda.triggerAuthenticationName)" }}
{{- end }}
{{- if and .keda.enabled (gt (int .keda.minReplicas) (int .keda.maxReplicas)) }}
{{- fail (printf "autoscaling.keda.minReplicas (%d) exceeds autoscaling.keda.maxReplicas (%d)" (int .keda.minReplicas) (int .keda.maxReplicas)) }}
{{- end }}
{{- if and .hpa.enabled (gt (int .hpa.minReplicas) (int .hpa.maxReplicas)) }}
{{- fail (printf "autoscaling.hpa.minReplicas (%d) exceeds autoscaling.hpa.maxReplicas (%d)" (int .hpa.minReplicas) (int .hpa.maxReplicas)) }}
{{- end }}
{{- end }}
{{- end }}

{{/* TriggerAuthentication for KEDA: the user's, or the chart's when Kafka is secured; empty otherwise. */}}
{{- define "aligntok.kedaAuthName" -}}
{{- if .Values.autoscaling.keda.triggerAuthenticationName }}
{{- .Values.autoscaling.keda.triggerAuthenticationName }}
{{- else if or (include "aligntok.usesTls" .) (include "aligntok.usesSasl" .) }}
{{- include "aligntok.fullname" . }}-keda
{{- end }}
{{- end }}

{{/*
Kafka Streams' num.standby.replicas: kafka.numStandbyReplicas when set; otherwise 1 when the release
may run more than one pod (replicaCount or the enabled autoscaler's maxReplicas), else 0 (a standby
never shares a pod with its active task, so a lone pod cannot hold one).
*/}}
{{- define "aligntok.numStandbyReplicas" -}}
{{- $set := .Values.kafka.numStandbyReplicas }}
{{- if kindIs "string" $set }}
{{- $pods := int .Values.replicaCount }}
{{- with .Values.autoscaling }}
{{- if .keda.enabled }}{{ $pods = max $pods (int .keda.maxReplicas) }}{{ end }}
{{- if .hpa.enabled }}{{ $pods = max $pods (int .hpa.maxReplicas) }}{{ end }}
{{- end }}
{{- ternary "1" "0" (gt (int $pods) 1) }}
{{- else }}
{{- int $set }}
{{- end }}
{{- end }}
