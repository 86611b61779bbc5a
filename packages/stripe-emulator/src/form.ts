import { invalidRequest, missingParam } from './errors';

export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** `a[b][0][]` → ['a', 'b', '0', ''] */
function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const segments = [key.slice(0, open)];
  const re = /\[([^\]]*)\]/g;
  for (let m = re.exec(key); m !== null; m = re.exec(key)) segments.push(m[1] ?? '');
  return segments;
}

function isObject(v: FormValue | undefined): v is FormObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function insert(root: FormObject, segments: string[], value: string): void {
  let node: FormObject = root;
  for (let i = 0; i < segments.length; i++) {
    let seg = segments[i] ?? '';
    // `a[]=x` appends; numbering by current size keeps mixed `a[]`/`a[0]` input sensible.
    if (seg === '') seg = String(Object.keys(node).length);
    if (i === segments.length - 1) {
      node[seg] = value;
      return;
    }
    const next = node[seg];
    if (isObject(next)) {
      node = next;
    } else {
      const created: FormObject = {};
      node[seg] = created;
      node = created;
    }
  }
}

/** Objects whose keys are all array indices become arrays, as the qs library would produce. */
function normalize(value: FormValue): FormValue {
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  const out: FormObject = {};
  for (const k of keys) out[k] = normalize(value[k] as FormValue);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => out[String(k)] as FormValue);
  }
  return out;
}

export function parseForm(body: string): FormObject {
  const root: FormObject = {};
  if (!body) return root;
  for (const part of body.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawKey = eq === -1 ? part : part.slice(0, eq);
    const rawValue = eq === -1 ? '' : part.slice(eq + 1);
    const key = decode(rawKey);
    if (!key) continue;
    insert(root, splitKey(key), decode(rawValue));
  }
  const normalized = normalize(root);
  return isObject(normalized) ? normalized : {};
}

/** A text field of a hosted page's form: '' when it is missing or not text, so the page renders again instead of failing. */
export function textField(form: FormObject, key: string): string {
  const v = form[key];
  return typeof v === 'string' ? v : '';
}

/**
 * Typed access to parsed request parameters with Stripe's own error messages, so handlers
 * stay declarative and a wrong type from the caller is reported like Stripe would.
 */
export class Params {
  constructor(
    readonly data: FormObject,
    private readonly prefix = '',
  ) {}

  name(key: string): string {
    return this.prefix ? `${this.prefix}[${key}]` : key;
  }

  keys(): string[] {
    return Object.keys(this.data);
  }

  has(key: string): boolean {
    return this.data[key] !== undefined;
  }

  /** Present and set to the empty string: Stripe's way of saying "unset this field". */
  isEmpty(key: string): boolean {
    return this.data[key] === '';
  }

  str(key: string): string | undefined {
    const v = this.data[key];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') throw invalidRequest(`Invalid string: ${this.name(key)}`, this.name(key));
    return v;
  }

  reqStr(key: string): string {
    const v = this.str(key);
    if (v === undefined) throw missingParam(this.name(key));
    return v;
  }

  int(key: string): number | undefined {
    const v = this.str(key);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v)) throw invalidRequest(`Invalid integer: ${v}`, this.name(key));
    return Number(v);
  }

  reqInt(key: string): number {
    const v = this.int(key);
    if (v === undefined) throw missingParam(this.name(key));
    return v;
  }

  bool(key: string): boolean | undefined {
    const v = this.str(key);
    if (v === undefined) return undefined;
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw invalidRequest(`Invalid boolean: ${v}`, this.name(key));
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const v = this.str(key);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) {
      throw invalidRequest(`Invalid ${this.name(key)}: must be one of ${allowed.join(', ')}`, this.name(key));
    }
    return v as T;
  }

  obj(key: string): Params | undefined {
    const v = this.data[key];
    if (v === undefined || v === '') return undefined;
    if (Array.isArray(v)) {
      // A hash whose keys all look like indices was normalised into an array; give it back as a hash.
      const asObject: FormObject = {};
      v.forEach((x, i) => {
        asObject[String(i)] = x;
      });
      return new Params(asObject, this.name(key));
    }
    if (!isObject(v)) throw invalidRequest(`Invalid object: ${this.name(key)}`, this.name(key));
    return new Params(v, this.name(key));
  }

  list(key: string): Params[] {
    const v = this.data[key];
    if (v === undefined || v === '') return [];
    const items = Array.isArray(v) ? v : isObject(v) ? Object.values(v) : null;
    if (!items) throw invalidRequest(`Invalid array: ${this.name(key)}`, this.name(key));
    return items.map((item, i) => {
      if (!isObject(item)) throw invalidRequest(`Invalid object: ${this.name(key)}[${i}]`, `${this.name(key)}[${i}]`);
      return new Params(item, `${this.name(key)}[${i}]`);
    });
  }

  strList(key: string): string[] {
    const v = this.data[key];
    if (v === undefined || v === '') return [];
    if (typeof v === 'string') return [v];
    const items = Array.isArray(v) ? v : Object.values(v);
    return items.map((item, i) => {
      if (typeof item !== 'string') throw invalidRequest(`Invalid string: ${this.name(key)}[${i}]`, this.name(key));
      return item;
    });
  }

  /**
   * Metadata update semantics: `metadata=` clears everything, `metadata[k]=` deletes one key.
   * Returns undefined when the caller did not touch metadata.
   */
  metadata(key: string, current: Record<string, string> = {}): Record<string, string> | undefined {
    const v = this.data[key];
    if (v === undefined) return undefined;
    if (v === '') return {};
    if (!isObject(v)) throw invalidRequest(`Invalid object: ${this.name(key)}`, this.name(key));
    const next: Record<string, string> = { ...current };
    for (const [k, value] of Object.entries(v)) {
      if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${this.name(key)}[${k}]`, this.name(key));
      if (value === '') delete next[k];
      else next[k] = value;
    }
    return next;
  }

  /** Rejects parameters the handler does not know, like Stripe does. */
  allowOnly(allowed: readonly string[]): void {
    for (const k of this.keys()) {
      if (!allowed.includes(k)) {
        throw invalidRequest(`Received unknown parameter: ${this.name(k)}`, this.name(k), 'parameter_unknown');
      }
    }
  }
}
