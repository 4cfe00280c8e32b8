// /openapi/v2: kubectl falls back to it when a kind is missing from the OpenAPI v3 documents (an
// unknown kind in a manifest, a CRD not yet installed). A 404 there makes kubectl fail with "failed
// to download openapi" instead of its real "no matches for kind" message, so we serve a Swagger 2.0
// document without definitions: kubectl finds no schema for the kind, skips client-side validation
// and reports the missing mapping as it does against kube-apiserver. The v3 documents stay the
// source of truth for every schema (kubectl 1.32 reads those first).
import type { IncomingMessage, ServerResponse } from 'node:http';

// kubectl asks with the historical "@" form; the answer uses the dotted form, which Go's
// mime.ParseMediaType accepts (kube-openapi answers the same way).
export const OPENAPI_V2_PROTOBUF_ACCEPT = /application\/com\.github\.proto-openapi\.spec\.v2[@.]v1\.0\+protobuf/;
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

export function serveOpenApiV2(req: IncomingMessage, res: ServerResponse, gitVersion: string): void {
  const info = { title: 'Kubernetes', version: gitVersion };
  if (OPENAPI_V2_PROTOBUF_ACCEPT.test(req.headers.accept ?? '')) {
    // gnostic openapi_v2.Document: swagger = 1 (string), info = 2 (Info: title = 1, version = 2).
    const body = Buffer.concat([field(1, Buffer.from('2.0')), field(2, Buffer.concat([field(1, Buffer.from(info.title)), field(2, Buffer.from(info.version))]))]);
    res.writeHead(200, { 'Content-Type': OPENAPI_V2_PROTOBUF });
    res.end(body);
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ swagger: '2.0', info, paths: {}, definitions: {} }));
}

/** A length-delimited protobuf field (wire type 2). */
function field(number: number, bytes: Buffer): Buffer {
  return Buffer.concat([varint((number << 3) | 2), varint(bytes.length), bytes]);
}

function varint(value: number): Buffer {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Buffer.from(out);
}
