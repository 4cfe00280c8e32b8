// Reads the JSDoc of kubernetes-types' .d.ts files (the Kubernetes field descriptions) with the
// TypeScript parser. Only syntax is needed, so no type checker and no Program: one SourceFile per file.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * @typedef {{ doc: string, optional: boolean, typeText: string }} PropDoc
 * @typedef {{ doc: string, props: Map<string, PropDoc>, aliasText?: string }} TypeDoc
 */

function listDts(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listDts(full));
    else if (name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function jsDocText(ts, node) {
  const docs = node.jsDoc;
  if (!Array.isArray(docs) || docs.length === 0) return '';
  const comment = docs[docs.length - 1].comment;
  if (typeof comment === 'string') return comment.trim();
  if (Array.isArray(comment)) return comment.map((c) => c.text ?? '').join('').trim();
  return '';
}

function propName(ts, name) {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return name.getText();
}

/**
 * Returns a map keyed by the file's module path without extension ("core/v1", "meta/v1",
 * "runtime", "api/resource") to the types it declares.
 * @returns {Map<string, Map<string, TypeDoc>>}
 */
export function readKubernetesTypesDocs(ts, packageDir) {
  /** @type {Map<string, Map<string, TypeDoc>>} */
  const modules = new Map();
  for (const file of listDts(packageDir)) {
    const moduleKey = relative(packageDir, file).replace(/\\/g, '/').replace(/\.d\.ts$/, '');
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const types = new Map();
    for (const statement of source.statements) {
      if (ts.isInterfaceDeclaration(statement)) {
        const props = new Map();
        for (const member of statement.members) {
          if (!ts.isPropertySignature(member) || !member.name) continue;
          props.set(propName(ts, member.name), {
            doc: jsDocText(ts, member),
            optional: Boolean(member.questionToken),
            typeText: member.type ? member.type.getText(source) : '',
          });
        }
        types.set(statement.name.text, { doc: jsDocText(ts, statement), props });
      } else if (ts.isTypeAliasDeclaration(statement)) {
        types.set(statement.name.text, { doc: jsDocText(ts, statement), props: new Map(), aliasText: statement.type.getText(source) });
      }
    }
    modules.set(moduleKey, types);
  }
  return modules;
}
