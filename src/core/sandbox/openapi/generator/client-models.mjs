// Reads @kubernetes/client-node's generated models: field names and wire types from each class's
// static attributeTypeMap (in the .js), requiredness and fallback descriptions from the .d.ts.
// Models are read on demand: a build touches a few hundred of the ~900 files.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {{ name: string, baseName: string, type: string, format: string }} Attribute
 * @typedef {{ name: string, doc: string, attributes: Attribute[], required: Set<string>, propDocs: Map<string, string> }} Model
 */

function unescapeDoc(text) {
  return text
    .replace(/\\(['"])/g, '$1')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function jsDocText(node) {
  const docs = node.jsDoc;
  if (!Array.isArray(docs) || docs.length === 0) return '';
  const comment = docs[docs.length - 1].comment;
  const text = typeof comment === 'string' ? comment : Array.isArray(comment) ? comment.map((c) => c.text ?? '').join('') : '';
  return unescapeDoc(text.trim());
}

export class ClientModels {
  /** @type {Map<string, Model | null>} */
  #cache = new Map();

  constructor(ts, modelsDir) {
    this.ts = ts;
    this.dir = modelsDir;
  }

  has(name) {
    return this.get(name) !== undefined;
  }

  /** @returns {Model | undefined} */
  get(name) {
    if (!/^[A-Za-z0-9]+$/.test(name)) return undefined;
    if (this.#cache.has(name)) return this.#cache.get(name) ?? undefined;
    const model = this.#read(name);
    this.#cache.set(name, model ?? null);
    return model;
  }

  #read(name) {
    const jsFile = join(this.dir, `${name}.js`);
    const dtsFile = join(this.dir, `${name}.d.ts`);
    if (!existsSync(jsFile) || !existsSync(dtsFile)) return undefined;
    const js = readFileSync(jsFile, 'utf8');
    const start = js.indexOf(`${name}.attributeTypeMap = [`);
    if (start < 0) return undefined; // enums and helpers, not object models
    const open = js.indexOf('[', start);
    const close = js.indexOf('];', open);
    const attributes = JSON.parse(js.slice(open, close + 1));
    const ts = this.ts;
    const source = ts.createSourceFile(dtsFile, readFileSync(dtsFile, 'utf8'), ts.ScriptTarget.Latest, true);
    let doc = '';
    const required = new Set();
    const propDocs = new Map();
    for (const statement of source.statements) {
      if (!ts.isClassDeclaration(statement) || statement.name?.text !== name) continue;
      doc = jsDocText(statement);
      for (const member of statement.members) {
        if (!ts.isPropertyDeclaration(member) || !member.name) continue;
        if (member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue;
        const prop = ts.isStringLiteral(member.name) || ts.isIdentifier(member.name) ? member.name.text : member.name.getText(source);
        if (!member.questionToken) required.add(prop);
        propDocs.set(prop, jsDocText(member));
      }
    }
    return { name, doc, attributes, required, propDocs };
  }
}
