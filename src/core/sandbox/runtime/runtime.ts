// The container runtime the kubelet drives: image pulls from the catalog, container creation.
import { createHash } from 'node:crypto';
import type { Container, ContainerConfig, ContainerRuntime, ImageInfo, PullResult, RuntimeDeps } from './types.js';
import { catalog, type ImageDef } from './images/catalog.js';
import { SimContainer, type ResolvedImage } from './container.js';

export interface ParsedReference {
  /** "docker.io/library/nginx" */
  repository: string;
  tag: string;
  reference: string;
}

export function parseImageReference(image: string): ParsedReference {
  let ref = image.trim();
  let digest = '';
  const at = ref.indexOf('@');
  if (at >= 0) {
    digest = ref.slice(at);
    ref = ref.slice(0, at);
  }
  let tag = '';
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) {
    tag = ref.slice(colon + 1);
    ref = ref.slice(0, colon);
  }
  const first = ref.split('/')[0];
  const hasDomain = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  let repository = hasDomain ? ref : `docker.io/${ref.includes('/') ? ref : `library/${ref}`}`;
  repository = repository.replace(/^index\.docker\.io\//, 'docker.io/');
  if (!tag) tag = digest ? '' : 'latest';
  return { repository, tag, reference: `${repository}${tag ? `:${tag}` : ''}${digest}` };
}

function findDef(repository: string): ImageDef | undefined {
  return catalog.find((d) => d.repository === repository || d.aliases?.some((a) => a === repository || `docker.io/${a}` === repository));
}

// Word tags registries really publish (alone or joined: "stable-alpine", "bookworm-slim"). A typo'd
// tag such as "nginx:lastest" must fail as it does on Docker Hub, since fixing a bad rollout with
// `rollout undo` is a classic exercise.
const KNOWN_TAG_WORDS = new Set(
  'latest stable mainline alpine slim lts edge current unstable rolling nightly dev main master release bookworm bullseye buster trixie stretch jammy focal noble bionic xenial trusty perl otel fpm apache cli management jdk jre temurin openjdk musl glibc uclibc debian ubuntu iron jod hydrogen gallium fermium windowsservercore nanoserver'.split(' '),
);

/** Whether a tag can exist: versions ("1.27", "v0.2", "3-slim", "php8.2-apache") or known words; digests always do. */
function tagExists(tag: string): boolean {
  if (!tag || /^v?\d/.test(tag)) return true;
  return tag.split(/[-_.]/).every((part) => KNOWN_TAG_WORDS.has(part.toLowerCase()) || /^[a-z]*\d+$/i.test(part));
}

/** The version an image tag stands for: "latest" is the catalog's version, "1.25" becomes "1.25.x". */
function versionFor(def: ImageDef, tag: string): string {
  if (!tag || tag === 'latest' || tag === 'stable' || tag === 'alpine' || tag === 'mainline' || !/^v?\d/.test(tag)) return def.latest;
  const m = /^v?(\d+(?:\.\d+)*)/.exec(tag);
  const v = m?.[1] ?? def.latest;
  const parts = v.split('.');
  const latestParts = def.latest.split('.');
  while (parts.length < latestParts.length) parts.push(parts.length === 1 ? '0' : '0');
  return parts.join('.');
}

function digestOf(reference: string): string {
  return 'sha256:' + createHash('sha256').update(reference).digest('hex');
}

function info(def: ImageDef, parsed: ParsedReference): ImageInfo {
  return {
    reference: parsed.reference,
    digest: digestOf(parsed.reference),
    sizeBytes: Math.round(def.sizeMB * 1024 * 1024),
    entrypoint: def.entrypoint,
    cmd: def.cmd,
    workingDir: def.workingDir ?? '',
    env: def.env ?? [],
    exposedPorts: def.ports ?? [],
  };
}

export class SimRuntime implements ContainerRuntime {
  private readonly pulled = new Set<string>();

  constructor(private readonly deps: RuntimeDeps) {}

  async pull(image: string): Promise<PullResult> {
    const parsed = parseImageReference(image);
    const def = findDef(parsed.repository);
    if (!def) {
      return {
        ok: false,
        reason: 'ErrImagePull',
        message: `failed to pull and unpack image "${parsed.reference}": image not found in the Kubedesk sandbox catalog; the sandbox runs no real containers — add it to the catalog (see src/core/sandbox/runtime/images/catalog.ts)`,
      };
    }
    if (!tagExists(parsed.tag)) {
      return {
        ok: false,
        reason: 'ErrImagePull',
        message: `failed to pull and unpack image "${parsed.reference}": failed to resolve reference "${parsed.reference}": ${parsed.reference}: not found`,
      };
    }
    const result = info(def, parsed);
    if (this.pulled.has(parsed.reference)) return { ok: true, image: result, durationMs: 0 };
    // Believable: a fixed handshake plus ~40 MB/s, capped at a few seconds.
    const durationMs = Math.round(Math.min(6000, 300 + def.sizeMB * 25));
    await new Promise<void>((resolve) => this.deps.clock.setTimeout(resolve, durationMs));
    this.pulled.add(parsed.reference);
    return { ok: true, image: result, durationMs };
  }

  create(config: ContainerConfig): Container {
    const parsed = parseImageReference(config.image);
    const def = findDef(parsed.repository);
    if (!def) throw new Error(`cannot create container ${config.name}: image "${parsed.reference}" is not in the sandbox catalog; pull it first (pull() reports the error the kubelet should show)`);
    const image: ResolvedImage = { def, version: versionFor(def, parsed.tag), tag: parsed.tag || 'latest' };
    return new SimContainer(config, image, this.deps);
  }

  images(): ImageInfo[] {
    return catalog.map((d) => info(d, parseImageReference(`${d.repository}:${d.latest}`)));
  }
}

export function createRuntime(deps: RuntimeDeps): ContainerRuntime {
  return new SimRuntime(deps);
}
