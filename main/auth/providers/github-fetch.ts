/**
 * GitHub's OAuth endpoints answer errors as HTTP 200 with an `error` field (form-encoded unless
 * asked for JSON). openid-client then reports a generic invalid response, and its device
 * polling stops at the first `authorization_pending`. This transport asks for JSON and turns a
 * 200 with `error` into a 400 JSON OAuth error, so bad_verification_code,
 * incorrect_client_credentials, redirect_uri_mismatch and bad_refresh_token arrive as themselves.
 */
export function githubFetch(base: typeof fetch, oauthPrefix: string): typeof fetch {
  return (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith(oauthPrefix)) return base(input, init);
    const headers = new Headers(init?.headers);
    headers.set('accept', 'application/json');
    const response = await base(input, { ...init, headers });
    const text = await response.text();
    let body: Record<string, unknown> | null = null;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Older endpoints answer form-encoded even when asked for JSON.
      if (/^[\w.-]+=/.test(text)) body = Object.fromEntries(new URLSearchParams(text));
    }
    if (body && typeof body.error === 'string') {
      return new Response(JSON.stringify(body), {
        status: response.status >= 400 ? response.status : 400,
        headers: { 'content-type': 'application/json' },
      });
    }
    if (body) {
      // Numbers arrive as strings in the form encoding.
      for (const key of ['expires_in', 'refresh_token_expires_in', 'interval']) {
        if (typeof body[key] === 'string') body[key] = Number(body[key]);
      }
      return new Response(JSON.stringify(body), {
        status: response.status,
        headers: { 'content-type': 'application/json' },
      });
    }
    return new Response(text, { status: response.status, headers: response.headers });
  }) as typeof fetch;
}
