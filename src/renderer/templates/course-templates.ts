// Manifests from the course (../shared/seeds), offered in "Create from YAML". The slides' text is
// kept, with the indentation slips of two slides (DaemonSet, PersistentVolumeClaim) corrected so
// they apply.

export interface CourseTemplate {
  id: string;
  /** The slide it comes from, in the course's words. */
  title: string;
  yaml: string;
}

export const COURSE_TEMPLATES: CourseTemplate[] = [
  {
    id: 'pod-labels',
    title: 'Pod nginx (Kubernetes : Labels)',
    yaml: `apiVersion: v1
kind: Pod
metadata:
  name: nginx
  labels:
    app: nginx
    env: prod
spec:
  containers:
  - name: nginx
    image: nginx
    ports:
    - containerPort: 80
`,
  },
  {
    id: 'deployment',
    title: 'Deployment my-app (Kubernetes : Deployment)',
    yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-app
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:stable
        ports:
        - containerPort: 80
`,
  },
  {
    id: 'service-clusterip',
    title: 'Service the-service (Kubernetes : Services : ClusterIP)',
    yaml: `apiVersion: v1
kind: Service
metadata:
  name: the-service
spec:
  ports:
    - port: 80
      protocol: TCP
      targetPort: 8080
  selector:
    app: web
`,
  },
  {
    id: 'statefulset',
    title: 'StatefulSet web (Kubernetes : StatefulSet)',
    yaml: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: nginx
  serviceName: "nginx"
  replicas: 3
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
`,
  },
  {
    id: 'daemonset',
    title: 'DaemonSet ssd-monitor (Kubernetes : DaemonSet)',
    yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ssd-monitor
spec:
  selector:
    matchLabels:
      app: ssd-monitor
  template:
    metadata:
      labels:
        app: ssd-monitor
    spec:
      nodeSelector:
        disk: ssd
      containers:
      - name: main
        image: luksa/ssd-monitor
`,
  },
  {
    id: 'job-pi',
    title: 'Job pi (Kubernetes : Job)',
    yaml: `apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  parallelism: 1
  completions: 1
  template:
    metadata:
      name: pi
    spec:
      containers:
      - name: pi
        image: perl
        command: ["perl",  "-Mbignum=bpi", "-wle", "print bpi(2000)"]
      restartPolicy: OnFailure
`,
  },
  {
    id: 'cronjob',
    title: 'CronJob batch-job-every-fifteen-minutes (Kubernetes : CronJob)',
    yaml: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: batch-job-every-fifteen-minutes
spec:
  schedule: '0,15,30,45 * * * *'
  jobTemplate:
    spec:
      template:
        metadata:
          labels:
            app: periodic-batch-job
        spec:
          restartPolicy: OnFailure
          containers:
            - name: pi
              image: perl
              command:
                - perl
                - '-Mbignum=bpi'
                - '-wle'
                - print bpi(2000)
`,
  },
  {
    id: 'configmap',
    title: 'ConfigMap redis-config (Kubernetes : ConfigMaps)',
    yaml: `apiVersion: v1
kind: ConfigMap
metadata:
  name: redis-config
data:
    redis-config: |
      maxmemory 2mb
      maxmemory-policy allkeys-lru
`,
  },
  {
    id: 'pvc',
    title: 'PersistentVolumeClaim storage-claim (Kubernetes : PersistentVolumeClaims)',
    yaml: `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: storage-claim
spec:
  accessModes:
  - ReadWriteOnce
  resources:
    requests:
      storage: 5Gi
  storageClassName: "slowl"
  selector:
    matchLabels:
      release: "stable"
    matchExpressions:
      - {key: capacity, operator: In, values: [10Gi, 20Gi]}
`,
  },
];
