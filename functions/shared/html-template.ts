/**
 * HTML escaped by default. `html` is a tagged template: every interpolated value is escaped for text and for
 * quoted attribute values alike (`&`, `<`, `>`, `"`, `'`), so a page cannot be built from an unescaped value by
 * accident. Markup goes in unescaped only when it is named as markup: the result of another `html` template,
 * or `raw(...)` for a fixed string a page author wrote (never for data). Arrays are joined, each item by the
 * same rule; `null`, `undefined` and `false` render as nothing, so `${condition && html`…`}` reads naturally.
 *
 * Attribute values must be quoted (`value="${v}"`): an unquoted attribute could be broken by a space. URLs in
 * `href`/`action` are escaped but not checked for their scheme; the pages' Content-Security-Policy forbids
 * scripts, `javascript:` URLs included.
 */
const MARKUP = Symbol('markup');

/**
 * Markup that is safe to send: only `html` and `raw` below make one (the symbol is not exported), so an `Html`
 * always holds text that was escaped or named as raw.
 */
export interface Html {
  readonly [MARKUP]: string;
  toString(): string;
}

function markup(text: string): Html {
  return { [MARKUP]: text, toString: () => text };
}

export function isHtml(value: unknown): value is Html {
  return typeof value === 'object' && value !== null && MARKUP in value;
}

/** A value as text: safe inside an element and inside a quoted attribute. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** What may be interpolated: text (escaped), markup (kept), lists of either, or nothing. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (isHtml(value)) return value[MARKUP];
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let text = strings[0] ?? '';
  values.forEach((value, index) => {
    text += render(value) + (strings[index + 1] ?? '');
  });
  return markup(text);
}

/**
 * Markup taken as it is. Named so that it stands out in review: only for fixed markup the code itself holds
 * (a style sheet, an SVG fragment built from numbers), never for anything a user or the table supplied.
 */
export function raw(text: string): Html {
  return markup(text);
}

/** Items joined with a separator that is itself markup (e.g. a line break). */
export function join(items: readonly HtmlValue[], separator: Html | string = ''): Html {
  return markup(items.map(render).join(render(separator)));
}
