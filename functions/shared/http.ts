import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { z } from 'zod';
import type { Html } from './html-template.ts';

export interface FieldError {
  field: string;
  message: string;
}

/** An error meant for the user: it becomes a 4xx response with a message per field, never a 500. */
export class HttpError extends Error {
  constructor(
    public readonly statusCode: number,
    public readonly errors: FieldError[],
  ) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    this.name = 'HttpError';
  }
}

/** Bodies are small forms; anything larger is refused before it is parsed. */
export const MAX_BODY_BYTES = 16 * 1024;

/** The headers of every answer: JSON, pages, CSV, redirects and empty answers alike. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  // Not `no-referrer`: under it browsers send `Origin: null` with a form post, and the authorizer's check that
  // a cookie-authenticated post comes from this API's own pages could never pass. Other sites learn nothing.
  'Referrer-Policy': 'same-origin',
  // HTTPS only, for a year, on every answer (a browser honours the last one it saw). Browsers ignore HSTS
  // over plain http:// (RFC 6797 §8.1), so `npm start` on http://localhost is unaffected; over HTTPS on AWS it
  // keeps a later visit from being downgraded. No `preload`: that binds the whole domain beyond this API.
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
};

/**
 * Pages also refuse to be framed: a page that records a drop-out must not be overlaid on another site
 * (clickjacking). `frame-ancestors` is the standard; `X-Frame-Options` covers browsers that predate it.
 */
const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
};

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...SECURITY_HEADERS, ...headers },
    body: JSON.stringify(body),
  };
}

/** A page: only markup built with the escaping template (functions/shared/html-template.ts) is accepted. */
export function htmlResponse(
  statusCode: number,
  body: Html,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      ...PAGE_HEADERS,
      ...SECURITY_HEADERS,
      ...headers,
    },
    body: body.toString(),
  };
}

/** A CSV download (Danish Excel: the body carries its own BOM). */
export function csvAttachment(filename: string, body: string): APIGatewayProxyResult {
  return {
    statusCode: 200,
    headers: {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`,
    },
    body,
  };
}

/** "See other": where a form post or a sign-in sends the browser next. */
export function redirect(location: string, statusCode = 303): APIGatewayProxyResult {
  return { statusCode, headers: { ...SECURITY_HEADERS, Location: location }, body: '' };
}

/** An answer without a body (204), e.g. a signed-out API client. */
export function noContent(): APIGatewayProxyResult {
  return { statusCode: 204, headers: { ...SECURITY_HEADERS }, body: '' };
}

export function errorResponse(error: HttpError): APIGatewayProxyResult {
  return json(error.statusCode, { errors: error.errors });
}

export function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

export function wantsHtml(event: APIGatewayProxyEvent): boolean {
  const accept = header(event, 'accept') ?? '';
  return accept.includes('text/html');
}

export type BodyKind = 'json' | 'form';

/** A form's fields as the user typed them, to show the form again after an error (strings only). */
export function typedValues(data: unknown): Record<string, string> {
  if (typeof data !== 'object' || data === null) return {};
  return Object.fromEntries(
    Object.entries(data).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** Reads the body as JSON or as an HTML form, refusing oversized and malformed bodies with a 4xx. */
export function readBody(event: APIGatewayProxyEvent): { kind: BodyKind; data: unknown } {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new HttpError(413, [
      { field: 'body', message: `Forespørgslen er for stor (højst ${MAX_BODY_BYTES} bytes)` },
    ]);
  }
  const contentType = (header(event, 'content-type') ?? 'application/json').toLowerCase();
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    return { kind: 'form', data: Object.fromEntries(new URLSearchParams(text)) };
  }
  if (!contentType.startsWith('application/json')) {
    throw new HttpError(415, [{ field: 'body', message: 'Indholdet skal være JSON eller en formular' }]);
  }
  if (text.trim() === '')
    throw new HttpError(400, [{ field: 'body', message: 'Forespørgslen mangler indhold' }]);
  try {
    return { kind: 'json', data: JSON.parse(text) };
  } catch {
    throw new HttpError(400, [{ field: 'body', message: 'Indholdet er ikke gyldig JSON' }]);
  }
}

/**
 * Danish for a rule the schema gives no message of its own (zod's own are English): a message set on the schema
 * comes first, this only fills in for the rest.
 */
function danishDefault(issue: { code: string; input?: unknown }): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'Feltet skal udfyldes' : 'Feltet har en forkert type';
    case 'too_small':
      return 'Feltet er for kort eller for lille';
    case 'too_big':
      return 'Feltet er for langt eller for stort';
    case 'invalid_format':
      return 'Feltet har en ugyldig form';
    default:
      return 'Feltet er ugyldigt';
  }
}

/** Validates with a zod schema and turns every issue into a field message, or throws a 400. */
export function validate<T extends z.ZodType>(schema: T, data: unknown): z.output<T> {
  const result = schema.safeParse(data, { error: danishDefault });
  if (result.success) return result.data;
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of result.error.issues) {
    const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
    if (seen.has(field)) continue;
    seen.add(field);
    // Zod's own root message is English; the body as a whole gets ours.
    errors.push({
      field,
      message:
        field === 'body'
          ? 'Indholdet skal være et objekt med felterne beskrevet i API-dokumentationen'
          : issue.message,
    });
  }
  throw new HttpError(400, errors);
}

/**
 * The path prefix the API is served under: "/prod" behind API Gateway's default endpoint, "" behind a
 * custom domain or locally. Links and redirects use it so that pages work in both places.
 */
export function basePath(event: APIGatewayProxyEvent): string {
  const full = event.requestContext?.path ?? event.path;
  return full.endsWith(event.path) ? full.slice(0, full.length - event.path.length) : '';
}
