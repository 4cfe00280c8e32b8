// ingress-nginx as its cloud deployment manifest installs it (deploy/static/provider/cloud), with the
// IngressClass "nginx" marked default as minikube's ingress addon does: the controller Deployment,
// its LoadBalancer Service (the sandbox's load-balancer controller gives it an address) and config.
import type { KubeObject } from '../../../shared/kube.js';

export const INGRESS_NAMESPACE = 'ingress-nginx';
export const INGRESS_CONTROLLER = 'k8s.io/ingress-nginx';
export const INGRESS_VERSION = '1.12.0';

const LABELS = { 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/name': 'ingress-nginx' };
const COMPONENT = { ...LABELS, 'app.kubernetes.io/component': 'controller' };
const ALL = { ...COMPONENT, 'app.kubernetes.io/part-of': 'ingress-nginx', 'app.kubernetes.io/version': INGRESS_VERSION };
const NS = INGRESS_NAMESPACE;

export function ingressNamespace(): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels: LABELS } };
}

export function ingressClass(): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: 'nginx', labels: ALL, annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
    spec: { controller: INGRESS_CONTROLLER },
  };
}

export function ingressObjects(): KubeObject[] {
  const fieldEnv = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
  const probe = (failureThreshold: number) => ({ failureThreshold, httpGet: { path: '/healthz', port: 10254, scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1 });
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ingress-nginx', namespace: NS, labels: ALL }, automountServiceAccountToken: true },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ingress-nginx-controller', namespace: NS, labels: ALL }, data: { 'allow-snippet-annotations': 'false' } },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ingress-nginx-controller', namespace: NS, labels: ALL },
      spec: {
        externalTrafficPolicy: 'Local',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [
          { appProtocol: 'http', name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
          { appProtocol: 'https', name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' },
        ],
        selector: COMPONENT,
        type: 'LoadBalancer',
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ingress-nginx-controller-admission', namespace: NS, labels: ALL },
      spec: { ports: [{ appProtocol: 'https', name: 'https-webhook', port: 443, targetPort: 'webhook' }], selector: COMPONENT, type: 'ClusterIP' },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ingress-nginx-controller', namespace: NS, labels: ALL },
      spec: {
        minReadySeconds: 0,
        revisionHistoryLimit: 10,
        selector: { matchLabels: COMPONENT },
        strategy: { rollingUpdate: { maxUnavailable: 1 }, type: 'RollingUpdate' },
        template: {
          metadata: { labels: ALL },
          spec: {
            containers: [
              {
                name: 'controller',
                image: `registry.k8s.io/ingress-nginx/controller:v${INGRESS_VERSION}`,
                imagePullPolicy: 'IfNotPresent',
                args: [
                  '/nginx-ingress-controller',
                  '--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller',
                  '--election-id=ingress-nginx-leader',
                  `--controller-class=${INGRESS_CONTROLLER}`,
                  '--ingress-class=nginx',
                  '--configmap=$(POD_NAMESPACE)/ingress-nginx-controller',
                  '--validating-webhook=:8443',
                ],
                env: [fieldEnv('POD_NAME', 'metadata.name'), fieldEnv('POD_NAMESPACE', 'metadata.namespace'), { name: 'LD_PRELOAD', value: '/usr/local/lib/libmimalloc.so' }],
                livenessProbe: probe(5),
                readinessProbe: probe(3),
                ports: [
                  { containerPort: 80, name: 'http', protocol: 'TCP' },
                  { containerPort: 443, name: 'https', protocol: 'TCP' },
                  { containerPort: 8443, name: 'webhook', protocol: 'TCP' },
                ],
                resources: { requests: { cpu: '100m', memory: '90Mi' } },
                securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: false, runAsGroup: 82, runAsNonRoot: true, runAsUser: 101, seccompProfile: { type: 'RuntimeDefault' } },
              },
            ],
            dnsPolicy: 'ClusterFirst',
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            serviceAccountName: 'ingress-nginx',
            terminationGracePeriodSeconds: 300,
          },
        },
      },
    },
  ];
}
