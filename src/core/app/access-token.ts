// The web mode's access token: anyone on the machine can reach 127.0.0.1, so every request must
// prove it came from the URL the user was given.
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_COOKIE = 'kubedesk_token';

export function newAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenMatches(expected: string, candidate: string | undefined | null): boolean {
  if (!candidate) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(candidate);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The token from `?token=` (the URL printed at start) or from the cookie set on the first page load. */
export function requestToken(url: URL, cookieHeader: string | undefined): { fromQuery?: string; fromCookie?: string } {
  return { fromQuery: url.searchParams.get('token') ?? undefined, fromCookie: cookieValue(cookieHeader, TOKEN_COOKIE) };
}

/**
 * The Host header must name our own loopback address: a web page on another origin that points a
 * DNS name at 127.0.0.1 (DNS rebinding) then cannot talk to us even if it guessed a token.
 */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}
