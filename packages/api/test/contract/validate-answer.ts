import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

/** One answer as the client saw it. */
export interface Answer {
  method: string;
  path: string;
  status: number;
  headers: Headers;
  /** The body's text; absent for answers whose body is not read (HEAD). */
  body?: string;
}

interface HeaderObject {
  required?: boolean;
  schema?: object;
  $ref?: string;
}
interface ResponseObject {
  headers?: Record<string, HeaderObject>;
  content?: Record<string, { schema?: object }>;
}
interface Document {
  paths: Record<string, Record<string, { responses: Record<string, ResponseObject> }>>;
  components?: { headers?: Record<string, HeaderObject> };
}

/** Paths under /api that the document does not describe on purpose: itself, its page and Stripe's webhook. */
const UNDOCUMENTED = [/^\/api\/openapi\.json$/, /^\/api\/docs(\/.*)?$/, /^\/api\/billing\/webhook$/];

const pointer = (...parts: string[]) =>
  parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

function templateMatcher(template: string): RegExp {
  const source = template
    .split(/\{\w+\}/)
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${source}$`);
}

/**
 * Judges answers against the OpenAPI document: the status is one the operation documents, the body fits that
 * status's schema, every required header is there with a value of its type; a documented path called with
 * another method is a 405 with Allow; any other /api path a 404. Returns what is wrong (empty when nothing).
 */
export function answerValidator(document: object): (answer: Answer) => string[] {
  const doc = document as Document;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(doc as object, 'doc');
  const compiled = new Map<string, ValidateFunction>();
  const schemaAt = (ref: string) => {
    let v = compiled.get(ref);
    if (!v) {
      v = ajv.getSchema(`doc#/${ref}`);
      if (!v) throw new Error(`no schema at ${ref}`);
      compiled.set(ref, v);
    }
    return v;
  };
  const templates = Object.keys(doc.paths).map((t) => ({ template: t, match: templateMatcher(t) }));
  const errorBody = 'components/schemas/Error';

  const checkBody = (ref: string, answer: Answer): string[] => {
    if (answer.body === undefined) return [];
    let json: unknown;
    try {
      json = JSON.parse(answer.body);
    } catch {
      return [`body is not JSON: ${answer.body.slice(0, 200)}`];
    }
    const validate = schemaAt(ref);
    if (validate(json)) return [];
    return [`body ${answer.body.slice(0, 300)} does not fit ${ref}: ${ajv.errorsText(validate.errors)}`];
  };

  const checkHeaders = (headers: Record<string, HeaderObject>, answer: Answer): string[] =>
    Object.entries(headers).flatMap(([name, declared]) => {
      const header = declared.$ref ? doc.components?.headers?.[declared.$ref.split('/').pop()!] : declared;
      const value = answer.headers.get(name);
      if (value === null) return header?.required ? [`header ${name} missing`] : [];
      const type = (header?.schema as { type?: string } | undefined)?.type;
      return type === 'integer' && !/^-?\d+$/.test(value) ? [`header ${name} is not an integer: ${value}`] : [];
    });

  return (answer) => {
    if (!answer.path.startsWith('/api/') || UNDOCUMENTED.some((p) => p.test(answer.path))) return [];
    const found = templates.find((t) => t.match.test(answer.path));
    if (!found) {
      if (answer.status !== 404) return [`an undocumented path answered ${answer.status}, not 404`];
      return checkBody(errorBody, answer);
    }
    const item = doc.paths[found.template]!;
    const op = item[answer.method.toLowerCase()];
    if (!op) {
      const problems =
        answer.status === 405 ? [] : [`${answer.method} is not documented here, yet answered ${answer.status}`];
      if (!answer.headers.get('allow')) problems.push('405 without an Allow header');
      return [...problems, ...checkBody(errorBody, answer)];
    }
    const response = op.responses[String(answer.status)];
    if (!response) return [`status ${answer.status} is not documented (${Object.keys(op.responses).join(', ')})`];
    const ref = pointer('paths', found.template, answer.method.toLowerCase(), 'responses', String(answer.status));
    return [
      ...checkHeaders(response.headers ?? {}, answer),
      ...(response.content?.['application/json'] ? checkBody(`${ref}/content/application~1json/schema`, answer) : []),
    ];
  };
}
