// RPC types of the terminal dock, pod shells, logs and port-forwards (issue 5).

export interface TerminalInfo {
  id: string;
  kind: 'local' | 'pod' | 'attach' | 'node';
  title: string;
  /** Node shells: the node. */
  node?: string;
  clusterId?: string;
  namespace?: string;
  pod?: string;
  container?: string;
  pid?: number;
  exitCode?: number;
}

export interface LogTargetParams {
  namespace: string;
  /** Pods by name, or… */
  pods?: string[];
  /** …every pod matching this label selector (a workload's spec.selector rendered as a string). */
  selector?: string;
  /** One container by name; every container when absent. */
  container?: string;
  includeInitContainers?: boolean;
  follow?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  previous?: boolean;
}

/** One log line as the UI gets it: [time (ms), RFC 3339 timestamp, pod, container, colour index, text]. */
export type LogLine = [number, string, string, string, number, string];

export interface PortForwardInfo {
  id: string;
  clusterId?: string;
  namespace: string;
  /** What the user asked for: a pod or a service. */
  kind: 'pod' | 'service';
  name: string;
  /** The pod actually reached (the service's pod for a service). */
  pod: string;
  remotePort: number;
  localPort: number;
  url: string;
  connections: number;
  /** The last connection's failure, if any. */
  error?: string;
}

export interface ShellRpcMethods {
  'terminal.create': { params: { clusterId?: string; namespace?: string; cols?: number; rows?: number }; result: TerminalInfo };
  'terminal.podShell': { params: { clusterId: string; namespace: string; pod: string; container: string; cols?: number; rows?: number }; result: TerminalInfo };
  /** `kubectl attach`: the container's main process, with stdin and a TTY when the container has them. */
  'terminal.attachContainer': { params: { clusterId: string; namespace: string; pod: string; container: string; cols?: number; rows?: number }; result: TerminalInfo };
  /** A shell on a node, through a privileged pod pinned to it (deleted when the shell ends). */
  'terminal.nodeShell': { params: { clusterId: string; node: string; cols?: number; rows?: number }; result: TerminalInfo };
  'terminal.list': { params: Record<string, never>; result: TerminalInfo[] };
  /** Sends the session's recent output, then live output, as terminal.data events. */
  'terminal.attach': { params: { id: string }; result: { ok: true } };
  'terminal.input': { params: { id: string; data: string }; result: { ok: true } };
  'terminal.resize': { params: { id: string; cols: number; rows: number }; result: { ok: true } };
  'terminal.close': { params: { id: string }; result: { ok: true } };
  'logs.start': { params: { clusterId: string; target: LogTargetParams }; result: { streamId: string } };
  'logs.stop': { params: { streamId: string }; result: { ok: true } };
  'portForward.start': { params: { clusterId: string; namespace: string; kind: 'pod' | 'service'; name: string; port: number; localPort?: number }; result: PortForwardInfo };
  'portForward.list': { params: Record<string, never>; result: PortForwardInfo[] };
  'portForward.stop': { params: { id: string }; result: { ok: true } };
}

export interface ShellRpcEvents {
  'terminal.data': { id: string; data: string };
  'terminal.exit': { id: string; exitCode: number };
  'logs.lines': { streamId: string; lines: LogLine[] };
  'logs.status': { streamId: string; message: string };
}

export const SHELL_RPC_METHOD_NAMES = [
  'terminal.create',
  'terminal.podShell',
  'terminal.attachContainer',
  'terminal.nodeShell',
  'terminal.list',
  'terminal.attach',
  'terminal.input',
  'terminal.resize',
  'terminal.close',
  'logs.start',
  'logs.stop',
  'portForward.start',
  'portForward.list',
  'portForward.stop',
] as const satisfies readonly (keyof ShellRpcMethods)[];
