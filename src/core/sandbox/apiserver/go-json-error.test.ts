import { describe, expect, it } from 'vitest';
import { goJsonSyntaxError } from './go-json-error.js';

describe("Go's JSON syntax errors", () => {
  it('name the first character encoding/json refuses and where', () => {
    expect(goJsonSyntaxError('apiVersion: v1\nkind: Pod\n')).toBe("invalid character 'a' looking for beginning of value");
    expect(goJsonSyntaxError('{"a" 1}')).toBe("invalid character '1' after object key");
    expect(goJsonSyntaxError('{"a": 1 "b": 2}')).toBe(`invalid character '"' after object key:value pair`);
    expect(goJsonSyntaxError('{a: 1}')).toBe("invalid character 'a' looking for beginning of object key string");
    expect(goJsonSyntaxError('[1 2]')).toBe("invalid character '2' after array element");
    expect(goJsonSyntaxError('{"a": tru}')).toBe("invalid character '}' in literal true (expecting 'e')");
    expect(goJsonSyntaxError('{} x')).toBe("invalid character 'x' after top-level value");
    expect(goJsonSyntaxError('{"a": 1.}')).toBe("invalid character '}' after decimal point in numeric literal");
    expect(goJsonSyntaxError('{"a": "x\ny"}')).toBe("invalid character '\\n' in string literal");
  });

  it('a truncated body is "unexpected end of JSON input"', () => {
    expect(goJsonSyntaxError('{"a": [1, 2')).toBe('unexpected end of JSON input');
    expect(goJsonSyntaxError('')).toBe('unexpected end of JSON input');
  });
});
