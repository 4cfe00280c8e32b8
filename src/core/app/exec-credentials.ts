// Exec credential plugins (aws, gke-gcloud-auth-plugin, kubelogin...) as kubectl runs them: with
// the user's login-shell PATH and KUBERNETES_EXEC_INFO, and, when the binary is missing, an error
// that names it and says how to install it instead of a bare ENOENT.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';

interface ExecConfig {
  command?: unknown;
  apiVersion?: unknown;
  env?: { name: string; value: string }[] | null;
  provideClusterInfo?: unknown;
}

const INSTALL_HINTS: Record<string, string> = {
  aws: 'install the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html), then run "aws configure"',
  'aws-iam-authenticator': 'install aws-iam-authenticator (https://github.com/kubernetes-sigs/aws-iam-authenticator/releases), or switch the kubeconfig to "aws eks get-token"',
  'gke-gcloud-auth-plugin': 'install it with "gcloud components install gke-gcloud-auth-plugin" (or the google-cloud-cli-gke-gcloud-auth-plugin package of your system)',
  gcloud: 'install the Google Cloud CLI (https://cloud.google.com/sdk/docs/install)',
  kubelogin: 'install Azure kubelogin with "az aks install-cli" or from https://github.com/Azure/kubelogin/releases',
  'kubectl-oidc_login': 'install int128/kubelogin with "kubectl krew install oidc-login" or "brew install int128/kubelogin/kubelogin"',
  az: 'install the Azure CLI (https://learn.microsoft.com/cli/azure/install-azure-cli)',
  doctl: 'install doctl (https://docs.digitalocean.com/reference/doctl/how-to/install/)',
  oci: 'install the OCI CLI (https://docs.oracle.com/iaas/Content/API/SDKDocs/cliinstall.htm)',
};

export function installHint(command: string): string {
  const base = command.split(/[\\/]/).pop() ?? command;
  return INSTALL_HINTS[base] ?? `install "${base}" (see your cluster provider's documentation) or fix the kubeconfig's exec.command`;
}

function executable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (process.platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where `command` resolves on `pathValue`, as execvp would; undefined when nowhere. */
export function findOnPath(command: string, pathValue: string): string | undefined {
  if (command.includes('/') || (process.platform === 'win32' && command.includes('\\'))) return executable(command) ? command : undefined;
  const exts = process.platform === 'win32' ? ['', '.exe', '.cmd', '.bat'] : [''];
  for (const dir of pathValue.split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = join(dir, command + ext);
      if (executable(candidate)) return candidate;
    }
  }
  return undefined;
}

function execOf(config: KubeConfig): ExecConfig | undefined {
  const user = config.getCurrentUser() as { exec?: ExecConfig; authProvider?: { config?: { exec?: ExecConfig } } } | null;
  const exec = user?.exec ?? user?.authProvider?.config?.exec;
  return exec && typeof exec === 'object' ? exec : undefined;
}

/**
 * Gives the context's exec plugin the login PATH (unless its kubeconfig sets PATH itself) and
 * KUBERNETES_EXEC_INFO, as kubectl does. Returns why it cannot run, or undefined when it can (or
 * the context uses no plugin).
 */
export function prepareExecCredentials(config: KubeConfig, loginPath: string): string | undefined {
  const exec = execOf(config);
  if (!exec) return undefined;
  if (typeof exec.command !== 'string' || exec.command === '') return 'the kubeconfig user has an exec section without a command; set exec.command to the credential plugin';
  const env = Array.isArray(exec.env) ? exec.env : [];
  const set = (name: string, value: string) => {
    if (!env.some((e) => e?.name === name)) env.push({ name, value });
  };
  set('PATH', loginPath);
  const apiVersion = typeof exec.apiVersion === 'string' ? exec.apiVersion : 'client.authentication.k8s.io/v1';
  const spec: Record<string, unknown> = { interactive: false };
  // provideClusterInfo: the plugin learns which cluster it authenticates for, as kubectl tells it.
  const cluster = config.getCurrentCluster();
  if (exec.provideClusterInfo === true && cluster) {
    spec.cluster = {
      server: cluster.server,
      ...(cluster.caData ? { 'certificate-authority-data': cluster.caData } : {}),
      ...(cluster.skipTLSVerify ? { 'insecure-skip-tls-verify': true } : {}),
      ...(cluster.proxyUrl ? { 'proxy-url': cluster.proxyUrl } : {}),
    };
  }
  set('KUBERNETES_EXEC_INFO', JSON.stringify({ apiVersion, kind: 'ExecCredential', spec }));
  exec.env = env;
  const pathForLookup = env.find((e) => e.name === 'PATH')?.value ?? loginPath;
  if (findOnPath(exec.command, pathForLookup)) return undefined;
  const where = isAbsolute(exec.command) ? `at ${exec.command}` : `on your login shell's PATH (${pathForLookup.split(delimiter).length} folders searched)`;
  return `the credential plugin "${exec.command}" is not installed or not on PATH: it was not found ${where}; ${installHint(exec.command)}`;
}

/** The exec plugin a context uses, if any (for messages). */
export function execCommandOf(config: KubeConfig): string | undefined {
  const command = execOf(config)?.command;
  return typeof command === 'string' ? command : undefined;
}
