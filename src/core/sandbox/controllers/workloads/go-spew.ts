// go-spew's `%#v` (ConfigState{SortKeys, DisableMethods, SpewKeys}, github.com/davecgh/go-spew at the
// commit Kubernetes vendors, d8f796af), the text pkg/util/hash.DeepHashObject feeds to FNV. Its shape:
// `(v1.PodTemplateSpec){ObjectMeta:(v1.ObjectMeta){Name:(string) ...} Spec:...}`: each value prefixed by
// its type in parentheses, except slice elements, map keys and values and pointer targets, whose type
// spew skips; strings unquoted; nil as <nil>. The skip is one flag, `ignoreNextType`, kept here as spew
// keeps it, including where a nil pointer among slice elements leaves it set for the next field.
import type { GoValue } from './go-types.js';

class SpewFormatter {
  private out = '';
  private ignoreNextType = false;

  print(v: GoValue): string {
    this.format(v);
    return this.out;
  }

  private format(v: GoValue): void {
    if (v.kind === 'ptr') {
      this.formatPtr(v);
      return;
    }
    if (!this.ignoreNextType) this.out += `(${v.type})`;
    this.ignoreNextType = false;
    switch (v.kind) {
      case 'bool':
        this.out += v.value ? 'true' : 'false';
        break;
      case 'int':
      case 'uint':
        this.out += v.value.toString();
        break;
      case 'float':
        this.out += formatFloat(v.value);
        break;
      case 'string':
        this.out += v.value;
        break;
      case 'slice':
        if (v.items === null) {
          this.out += '<nil>';
          break;
        }
        this.out += '[';
        v.items.forEach((item, i) => {
          if (i > 0) this.out += ' ';
          this.ignoreNextType = true;
          this.format(item);
        });
        this.out += ']';
        break;
      case 'map':
        if (v.entries === null) {
          this.out += '<nil>';
          break;
        }
        this.out += 'map[';
        v.entries.forEach(([key, value], i) => {
          if (i > 0) this.out += ' ';
          this.ignoreNextType = true;
          this.format(key);
          this.out += ':';
          this.ignoreNextType = true;
          this.format(value);
        });
        this.out += ']';
        break;
      case 'struct':
        this.out += '{';
        v.fields.forEach(({ field, value }, i) => {
          if (i > 0) this.out += ' ';
          this.out += `${field.name}:`;
          this.format(value);
        });
        this.out += '}';
        break;
    }
  }

  private formatPtr(v: Extract<GoValue, { kind: 'ptr' }>): void {
    if (v.elem === null && this.ignoreNextType) {
      this.out += '<nil>';
      return;
    }
    let indirects = 0;
    let target: GoValue = v;
    let nilFound = false;
    while (target.kind === 'ptr') {
      if (target.elem === null) {
        nilFound = true;
        break;
      }
      indirects++;
      target = target.elem;
    }
    if (!this.ignoreNextType) {
      this.out += `(${'*'.repeat(indirects)}${target.type})`;
    } else {
      if (nilFound) indirects += [...target.type].filter((c) => c === '*').length;
      this.out += `<${'*'.repeat(indirects)}>`;
    }
    if (nilFound) {
      this.out += '<nil>';
      return;
    }
    this.ignoreNextType = true;
    this.format(target);
  }
}

/** strconv.FormatFloat(f, 'g', -1, 64): shortest digits, exponent form below 1e-4 and from 1e6 on. */
function formatFloat(f: number): string {
  const exp = f === 0 ? 0 : Math.floor(Math.log10(Math.abs(f)));
  if (exp < -4 || exp >= 6) return f.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(f);
}

/** The `%#v` printout of a Go value. */
export function spewPrint(v: GoValue): string {
  return new SpewFormatter().print(v);
}
