// Roles and bindings, namespaced and cluster-wide: the same two shapes of table four times.
import type { KindView } from './kind-view.js';
import { ageColumn, createdAtColumn, nameColumn, str } from './format.js';

const roleRef = { header: 'ROLE', value: (o: Parameters<typeof str>[0]) => `${str(o, 'roleRef.kind')}/${str(o, 'roleRef.name')}` };

export const rolesView: KindView = { name: 'roles', group: 'rbac.authorization.k8s.io', resource: 'roles', title: 'kind.roles', category: 'access', namespaced: true, columns: [nameColumn, createdAtColumn] };
export const roleBindingsView: KindView = { name: 'rolebindings', group: 'rbac.authorization.k8s.io', resource: 'rolebindings', title: 'kind.rolebindings', category: 'access', namespaced: true, columns: [nameColumn, roleRef, ageColumn] };
export const clusterRolesView: KindView = { name: 'clusterroles', group: 'rbac.authorization.k8s.io', resource: 'clusterroles', title: 'kind.clusterroles', category: 'access', namespaced: false, columns: [nameColumn, createdAtColumn] };
export const clusterRoleBindingsView: KindView = { name: 'clusterrolebindings', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', title: 'kind.clusterrolebindings', category: 'access', namespaced: false, columns: [nameColumn, roleRef, ageColumn] };
