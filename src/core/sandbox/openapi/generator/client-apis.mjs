// Reads the REST operations of one @kubernetes/client-node API class (e.g. AppsV1Api.js): path,
// HTTP method, query parameters with their descriptions, body and response model. This is where
// resource paths (plural names, namespaced or not) come from.
import { readFileSync } from 'node:fs';

/**
 * @typedef {{ name: string, in: 'path' | 'query', description: string, type: string }} Param
 * @typedef {{ id: string, path: string, method: string, params: Param[], bodyType?: string,
 *   responseType?: string, mediaTypes: string[], summary: string }} Operation
 */

const METHOD_START = /^ {4}async (\w+)\(([^)]*)\) \{$/gm;

function unescapeDoc(text) {
  return text.replace(/\\&#39;/g, "'").replace(/&#39;/g, "'").replace(/\\"/g, '"').replace(/&quot;/g, '"');
}

function chunks(source) {
  const starts = [...source.matchAll(METHOD_START)];
  return starts.map((match, i) => {
    const end = i + 1 < starts.length ? starts[i + 1].index : source.length;
    // The JSDoc precedes the method: take the comment that ends right before it.
    const before = source.slice(Math.max(0, match.index - 20000), match.index);
    const docStart = before.lastIndexOf('/**');
    const doc = docStart >= 0 ? before.slice(docStart) : '';
    return { name: match[1], args: match[2], body: source.slice(match.index, end), doc };
  });
}

function paramDocs(doc) {
  const out = new Map();
  let summary = '';
  for (const line of doc.split('\n')) {
    const text = line.replace(/^\s*\*\s?/, '').trim();
    const param = /^@param (\w+)\s*(.*)$/.exec(text);
    if (param) out.set(param[1], unescapeDoc(param[2]));
    else if (!summary && text && !text.startsWith('/**') && !text.startsWith('@')) summary = unescapeDoc(text);
  }
  return { params: out, summary };
}

/** @returns {Operation[]} */
export function readClientApi(file) {
  const source = readFileSync(file, 'utf8');
  const all = chunks(source);
  const responses = new Map();
  for (const chunk of all) {
    if (!chunk.name.endsWith('WithHttpInfo')) continue;
    const ok = /isCodeInRange\("20[01]", response\.httpStatusCode\)\) \{\s*const body = ObjectSerializer\.deserialize\([^;]*?, "([^"]+)", ""\)/.exec(chunk.body);
    if (ok) responses.set(chunk.name.slice(0, -'WithHttpInfo'.length), ok[1]);
  }
  /** @type {Operation[]} */
  const operations = [];
  for (const chunk of all) {
    const pathMatch = /const localVarPath = '([^']+)'/.exec(chunk.body);
    const methodMatch = /makeRequestContext\(localVarPath, HttpMethod\.(\w+)\)/.exec(chunk.body);
    if (!pathMatch || !methodMatch) continue;
    const { params: docs, summary } = paramDocs(chunk.doc);
    /** @type {Param[]} */
    const params = [];
    for (const m of pathMatch[1].matchAll(/\{(\w+)\}/g)) params.push({ name: m[1], in: 'path', description: docs.get(m[1]) ?? '', type: 'string' });
    for (const m of chunk.body.matchAll(/setQueryParam\("(\w+)", ObjectSerializer\.serialize\(\w+, "(\w+)"/g)) {
      params.push({ name: m[1], in: 'query', description: docs.get(m[1]) ?? '', type: m[2] });
    }
    const bodyMatch = /ObjectSerializer\.serialize\(body, "([^"]+)", ""\)/.exec(chunk.body);
    const mediaMatch = /getPreferredMediaType\(\[([^\]]*)\]\)/.exec(chunk.body);
    const mediaTypes = mediaMatch ? [...mediaMatch[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]) : [];
    operations.push({
      id: chunk.name,
      path: pathMatch[1],
      method: methodMatch[1].toLowerCase(),
      params,
      bodyType: bodyMatch?.[1],
      responseType: responses.get(chunk.name),
      mediaTypes,
      summary,
    });
  }
  return operations;
}
