// The control plane's static pods as kubeadm writes them to /etc/kubernetes/manifests on the
// control-plane node (etcd, kube-apiserver, kube-controller-manager, kube-scheduler), and the mirror
// pods the kubelet posts for them: named <component>-<node>, owned by the Node, annotated with the
// manifest's hash and source "file".
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../../shared/kube.js';
import { KUBELET_VERSION } from './nodes.js';

export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
export const ETCD_VERSION = '3.5.16-0';

type Obj = Record<string, unknown>;

function hostPath(name: string, path: string, type = 'DirectoryOrCreate'): Obj {
  return { name, hostPath: { path, type } };
}

function httpProbe(host: string, path: string, port: number, scheme: string, extra: Obj): Obj {
  return { httpGet: { host, path, port, scheme }, timeoutSeconds: 15, ...extra };
}

function staticPod(component: string, annotations: Record<string, string>, container: Obj, volumes: Obj[], priorityClassName = 'system-node-critical'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: component, namespace: 'kube-system', labels: { component, tier: 'control-plane' }, annotations },
    spec: {
      containers: [{ name: component, imagePullPolicy: 'IfNotPresent', ...container }],
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName,
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      volumes,
    },
  };
}

const PKI_MOUNTS = [
  { mountPath: '/etc/ssl/certs', name: 'ca-certs', readOnly: true },
  { mountPath: '/etc/kubernetes/pki', name: 'k8s-certs', readOnly: true },
];
const PKI_VOLUMES = [hostPath('ca-certs', '/etc/ssl/certs'), hostPath('k8s-certs', '/etc/kubernetes/pki')];

/** The four manifests kubeadm init writes, for a control-plane node at `ip`. */
export function staticPodManifests(node: string, ip: string): KubeObject[] {
  const version = KUBELET_VERSION;
  const etcd = staticPod(
    'etcd',
    { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${ip}:2379` },
    {
      command: [
        'etcd',
        `--advertise-client-urls=https://${ip}:2379`,
        '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
        '--client-cert-auth=true',
        '--data-dir=/var/lib/etcd',
        '--experimental-initial-corrupt-check=true',
        '--experimental-watch-progress-notify-interval=5s',
        `--initial-advertise-peer-urls=https://${ip}:2380`,
        `--initial-cluster=${node}=https://${ip}:2380`,
        '--key-file=/etc/kubernetes/pki/etcd/server.key',
        `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`,
        '--listen-metrics-urls=http://127.0.0.1:2381',
        `--listen-peer-urls=https://${ip}:2380`,
        `--name=${node}`,
        '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt',
        '--peer-client-cert-auth=true',
        '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key',
        '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
        '--snapshot-count=10000',
        '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
      ],
      image: `registry.k8s.io/etcd:${ETCD_VERSION}`,
      livenessProbe: httpProbe('127.0.0.1', '/livez', 2381, 'HTTP', { failureThreshold: 8, initialDelaySeconds: 10, periodSeconds: 10 }),
      readinessProbe: httpProbe('127.0.0.1', '/readyz', 2381, 'HTTP', { failureThreshold: 3, periodSeconds: 1 }),
      resources: { requests: { cpu: '100m', memory: '100Mi' } },
      startupProbe: httpProbe('127.0.0.1', '/readyz', 2381, 'HTTP', { failureThreshold: 24, initialDelaySeconds: 10, periodSeconds: 10 }),
      volumeMounts: [
        { mountPath: '/var/lib/etcd', name: 'etcd-data' },
        { mountPath: '/etc/kubernetes/pki/etcd', name: 'etcd-certs' },
      ],
    },
    [hostPath('etcd-certs', '/etc/kubernetes/pki/etcd'), hostPath('etcd-data', '/var/lib/etcd')],
  );
  const apiserver = staticPod(
    'kube-apiserver',
    { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${ip}:6443` },
    {
      command: [
        'kube-apiserver',
        `--advertise-address=${ip}`,
        '--allow-privileged=true',
        '--authorization-mode=Node,RBAC',
        '--client-ca-file=/etc/kubernetes/pki/ca.crt',
        '--enable-admission-plugins=NodeRestriction',
        '--enable-bootstrap-token-auth=true',
        '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt',
        '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
        '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key',
        '--etcd-servers=https://127.0.0.1:2379',
        '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt',
        '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key',
        '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
        '--runtime-config=',
        '--secure-port=6443',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
        '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
        '--service-cluster-ip-range=10.96.0.0/16',
        '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
        '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
      ],
      image: `registry.k8s.io/kube-apiserver:${version}`,
      livenessProbe: httpProbe(ip, '/livez', 6443, 'HTTPS', { failureThreshold: 8, initialDelaySeconds: 10, periodSeconds: 10 }),
      readinessProbe: httpProbe(ip, '/readyz', 6443, 'HTTPS', { failureThreshold: 3, periodSeconds: 1 }),
      resources: { requests: { cpu: '250m' } },
      startupProbe: httpProbe(ip, '/livez', 6443, 'HTTPS', { failureThreshold: 24, initialDelaySeconds: 10, periodSeconds: 10 }),
      volumeMounts: PKI_MOUNTS,
    },
    PKI_VOLUMES,
  );
  const controllerManager = staticPod(
    'kube-controller-manager',
    {},
    {
      command: [
        'kube-controller-manager',
        '--allocate-node-cidrs=true',
        '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf',
        '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf',
        '--bind-address=127.0.0.1',
        '--client-ca-file=/etc/kubernetes/pki/ca.crt',
        '--cluster-cidr=10.244.0.0/16',
        '--cluster-name=kubedesk',
        '--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt',
        '--cluster-signing-key-file=/etc/kubernetes/pki/ca.key',
        '--controllers=*,bootstrapsigner,tokencleaner',
        '--enable-hostpath-provisioner=true',
        '--kubeconfig=/etc/kubernetes/controller-manager.conf',
        '--leader-elect=true',
        '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt',
        '--root-ca-file=/etc/kubernetes/pki/ca.crt',
        '--service-account-private-key-file=/etc/kubernetes/pki/sa.key',
        '--service-cluster-ip-range=10.96.0.0/16',
        '--use-service-account-credentials=true',
      ],
      image: `registry.k8s.io/kube-controller-manager:${version}`,
      livenessProbe: httpProbe('127.0.0.1', '/healthz', 10257, 'HTTPS', { failureThreshold: 8, initialDelaySeconds: 10, periodSeconds: 10 }),
      resources: { requests: { cpu: '200m' } },
      startupProbe: httpProbe('127.0.0.1', '/healthz', 10257, 'HTTPS', { failureThreshold: 24, initialDelaySeconds: 10, periodSeconds: 10 }),
      volumeMounts: [...PKI_MOUNTS, { mountPath: '/etc/kubernetes/controller-manager.conf', name: 'kubeconfig', readOnly: true }],
    },
    [...PKI_VOLUMES, hostPath('kubeconfig', '/etc/kubernetes/controller-manager.conf', 'FileOrCreate')],
  );
  const scheduler = staticPod(
    'kube-scheduler',
    {},
    {
      command: ['kube-scheduler', '--authentication-kubeconfig=/etc/kubernetes/scheduler.conf', '--authorization-kubeconfig=/etc/kubernetes/scheduler.conf', '--bind-address=127.0.0.1', '--kubeconfig=/etc/kubernetes/scheduler.conf', '--leader-elect=true'],
      image: `registry.k8s.io/kube-scheduler:${version}`,
      livenessProbe: httpProbe('127.0.0.1', '/livez', 10259, 'HTTPS', { failureThreshold: 8, initialDelaySeconds: 10, periodSeconds: 10 }),
      readinessProbe: httpProbe('127.0.0.1', '/readyz', 10259, 'HTTPS', { failureThreshold: 3, periodSeconds: 1 }),
      resources: { requests: { cpu: '100m' } },
      startupProbe: httpProbe('127.0.0.1', '/livez', 10259, 'HTTPS', { failureThreshold: 24, initialDelaySeconds: 10, periodSeconds: 10 }),
      volumeMounts: [{ mountPath: '/etc/kubernetes/scheduler.conf', name: 'kubeconfig', readOnly: true }],
    },
    [hostPath('kubeconfig', '/etc/kubernetes/scheduler.conf', 'FileOrCreate')],
  );
  return [etcd, apiserver, controllerManager, scheduler];
}

/** The mirror pod the kubelet posts for a static pod: bound to its node, which owns it. */
export function mirrorPod(manifest: KubeObject, node: { name: string; uid: string }, seen: Date): KubeObject {
  const hash = createHash('md5').update(JSON.stringify(manifest)).digest('hex');
  const spec = manifest.spec as Obj;
  return {
    ...manifest,
    metadata: {
      ...manifest.metadata,
      name: `${manifest.metadata.name ?? ''}-${node.name}`,
      annotations: {
        ...manifest.metadata.annotations,
        'kubernetes.io/config.hash': hash,
        [MIRROR_ANNOTATION]: hash,
        // The kubelet's time.Time in nanoseconds.
        'kubernetes.io/config.seen': seen.toISOString().replace(/Z$/, '000000Z'),
        'kubernetes.io/config.source': 'file',
      },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.name, uid: node.uid, controller: true }],
    },
    spec: { ...spec, nodeName: node.name, tolerations: [{ operator: 'Exists', effect: 'NoExecute' }] },
  };
}
