import ts from 'typescript';
import fs from 'node:fs';
import { readKubernetesTypesDocs } from '../src/core/sandbox/openapi/generator/k8s-types-docs.mjs';
import { schemaNameFor } from '../src/core/sandbox/openapi/generator/names.mjs';
const docs = readKubernetesTypesDocs(ts, 'node_modules/kubernetes-types');
const known = new Set();
for (const [m, types] of docs) for (const t of types.keys()) known.add(schemaNameFor(m, t));
const dir = 'src/core/sandbox/openapi/generated';
const unknown = new Set(); let nodesc = [];
for (const f of fs.readdirSync(dir)) { if (f === 'manifest.json') continue; const d = JSON.parse(fs.readFileSync(`${dir}/${f}`)); for (const [k, s] of Object.entries(d.components.schemas)) { if (!known.has(k)) unknown.add(k); for (const [p, ps] of Object.entries(s.properties ?? {})) if (!ps.description) nodesc.push(`${k}.${p}`); } }
console.log([...unknown].sort().join('\n'));
console.log('no description:', [...new Set(nodesc)].length, [...new Set(nodesc)].slice(0, 30));
