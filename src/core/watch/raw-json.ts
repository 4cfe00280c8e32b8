// An object's JSON text carried with it, so that sending it again costs a copy instead of a
// JSON.stringify: the informer already holds each object as text, and the 50,000 objects of a first
// list were serialized twice in the web backend (its cache, then the WebSocket message), about a
// second of CPU. The text rides on a non-enumerable symbol: structured clone (Electron's IPC),
// JSON.stringify and deep equality ignore it, so the object looks and travels as before.
const JSON_TEXT = Symbol('kubedesk.jsonText');

/** Records `text` as `obj`'s serialization; the caller guarantees `JSON.stringify(obj) === text` from now on. */
export function withJsonText<T extends object>(obj: T, text: string): T {
  Object.defineProperty(obj, JSON_TEXT, { value: text, enumerable: false, configurable: true });
  return obj;
}

/**
 * An object known only by its JSON text: what a transport that sends with stringifyWithJsonTexts
 * needs, without parsing the text into objects that live until the next batch (most of the web
 * backend's garbage during a big list). Anything else sees an empty object: only for such transports.
 */
export function jsonTextOnly<T extends object>(text: string): T {
  return withJsonText({} as T, text);
}

export function jsonTextOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? (value as { [JSON_TEXT]?: string })[JSON_TEXT] : undefined;
}

/** JSON.stringify(value), with the recorded text of each object that has one instead of serializing it again. */
export function stringifyWithJsonTexts(value: unknown): string {
  const texts: string[] = [];
  // A marker no string of the envelope can hold by chance: it changes at every call.
  const marker = `\u0000json-${Math.random().toString(36).slice(2)}-`;
  const envelope = JSON.stringify(value, (_key, v: unknown) => {
    const text = jsonTextOf(v);
    if (text === undefined) return v;
    texts.push(text);
    return `${marker}${texts.length - 1}`;
  });
  if (texts.length === 0) return envelope;
  const quoted = JSON.stringify(marker).slice(0, -1);
  const parts = envelope.split(quoted);
  const out = [parts[0]];
  for (let i = 1; i < parts.length; i++) {
    const end = parts[i].indexOf('"');
    out.push(texts[Number(parts[i].slice(0, end))], parts[i].slice(end + 1));
  }
  return out.join('');
}
