/**
 * A minimal cookie-keeping HTTP client that walks the OIDC sign-in like a browser without JavaScript: follows
 * redirects by hand, keeps cookies per host name (ports share cookies, as in browsers), and submits the provider's
 * HTML forms. Used where no Chromium is needed; the Chromium suite runs the same flow in a real browser.
 */

/** The answer at the end of a walk, and every URL visited on the way. */
export interface Walk {
  status: number;
  url: string;
  text: string;
  headers: Headers;
  visited: string[];
}

/** Cookies by host name, then by cookie name. */
export class CookieClient {
  readonly jar = new Map<string, Map<string, string>>();
  /** Every raw `Set-Cookie` line received, in order (tests read cookie attributes from it). */
  readonly setCookieLog: string[] = [];

  /** The value of a cookie stored for `url`'s host. */
  cookie(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).hostname)?.get(name);
  }

  /** Sets (or, with undefined, removes) a cookie for `url`'s host. */
  setCookie(url: string, name: string, value: string | undefined): void {
    const host = new URL(url).hostname;
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    if (value === undefined) cookies.delete(name);
    else cookies.set(name, value);
    this.jar.set(host, cookies);
  }

  /** One request with this jar's cookies; stores the cookies of the answer; never follows redirects. */
  async fetch(url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const cookies = [...(this.jar.get(new URL(url).hostname) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      body: init.body,
      redirect: 'manual',
      headers: { accept: 'text/html', ...(cookies ? { cookie: cookies } : {}), ...init.headers },
    });
    for (const line of res.headers.getSetCookie()) {
      this.setCookieLog.push(line);
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now());
      this.setCookie(url, name, expired || value === '' ? undefined : value);
    }
    return res;
  }

  /** Requests `url` and follows redirects (at most 20), GET after the first hop. */
  async walk(url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Walk> {
    const visited: string[] = [];
    let current = url;
    let next = init;
    for (let hop = 0; hop < 20; hop++) {
      visited.push(current);
      const res = await this.fetch(current, next);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        current = new URL(location, current).href;
        next = {};
        continue;
      }
      return { status: res.status, url: current, text: await res.text(), headers: res.headers, visited };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** Submits the first `<form>` of `page` (its action, method POST) with its hidden inputs plus `fields`. */
  async submitForm(page: Walk, fields: Record<string, string> = {}): Promise<Walk> {
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(page.text);
    if (!form) throw new Error(`no form on ${page.url}: ${page.text.slice(0, 300)}`);
    const values = new URLSearchParams();
    for (const m of (form[2] ?? '').matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi)) values.set(m[1] ?? '', m[2] ?? '');
    for (const [k, v] of Object.entries(fields)) values.set(k, v);
    return this.walk(new URL((form[1] ?? '').replace(/&amp;/g, '&'), page.url).href, {
      method: 'POST',
      body: values.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }
}

/**
 * Signs in through Tarmac's `/api/auth/login` with the provider's development login page (any password) and
 * consent page.
 * @returns the last answer (Tarmac's redirect target) and the walk
 */
export async function signIn(client: CookieClient, tarmacUrl: string, login: string, returnTo = '/catalog'): Promise<Walk> {
  const loginPage = await client.walk(`${tarmacUrl}/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  if (!/name="login"/.test(loginPage.text)) return loginPage;
  let page = await client.submitForm(loginPage, { login, password: 'any' });
  // The consent page (first sign-in of this account with this client) has one "Continue" form.
  if (/name="prompt" value="consent"/.test(page.text)) page = await client.submitForm(page);
  return page;
}
