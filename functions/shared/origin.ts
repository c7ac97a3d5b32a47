/**
 * Whether a browser's form post comes from this API's own pages: its `Origin` (or, without one, its `Referer`)
 * names the scheme and host the request was sent to. SameSite=Strict cookies are the first lock against
 * cross-site requests; this is the second, for browsers or proxies that do not honour SameSite, and the only one
 * for requests that set cookies rather than send them (a cross-site login).
 */
export function isSameOrigin(headers: Record<string, string | undefined> | null | undefined): boolean {
  const host = headerOf(headers, 'host');
  const source = headerOf(headers, 'origin') ?? headerOf(headers, 'referer');
  if (!host || !source || source === 'null') return false;
  // API Gateway reaches the handlers over HTTPS only and says so; the local API is plain HTTP.
  const scheme = headerOf(headers, 'x-forwarded-proto') ?? 'http';
  try {
    const url = new URL(source);
    return url.protocol === `${scheme}:` && url.host === host;
  } catch {
    return false;
  }
}

export function headerOf(
  headers: Record<string, string | undefined> | null | undefined,
  name: string,
): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === name && value) return value;
  }
  return undefined;
}
