// An in-memory RbacSource over plain objects: for tests, and for callers that keep RBAC objects in memory.
import type { KubeObject } from '../../../../shared/kube.js';
import type { RbacSource } from './rbac.js';

export class MemoryRbacSource implements RbacSource {
  constructor(public objects: KubeObject[] = []) {}

  add(...objects: KubeObject[]): this {
    this.objects.push(...objects);
    return this;
  }

  private of(kind: string, namespace?: string): KubeObject[] {
    return this.objects.filter((o) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace));
  }

  async listClusterRoleBindings(): Promise<KubeObject[]> {
    return this.of('ClusterRoleBinding');
  }

  async listRoleBindings(namespace: string): Promise<KubeObject[]> {
    return this.of('RoleBinding', namespace);
  }

  async getRole(namespace: string, name: string): Promise<KubeObject | undefined> {
    return this.of('Role', namespace).find((o) => o.metadata.name === name);
  }

  async getClusterRole(name: string): Promise<KubeObject | undefined> {
    return this.of('ClusterRole').find((o) => o.metadata.name === name);
  }

  async listClusterRoles(): Promise<KubeObject[]> {
    return this.of('ClusterRole');
  }
}
