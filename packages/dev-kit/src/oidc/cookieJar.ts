/** The cookies of one browser session, for HTTP clients that play a browser (by origin and path). */

interface Cookie {
  name: string;
  value: string;
  path: string;
}

/** RFC 6265 path-match: the cookie's path is the request's path or a directory of it. */
function pathMatches(cookiePath: string, requestPath: string) {
  if (requestPath === cookiePath) return true;
  const dir = cookiePath.endsWith('/') ? cookiePath : `${cookiePath}/`;
  return requestPath.startsWith(dir);
}

export class CookieJar {
  private readonly cookies = new Map<string, Cookie[]>();

  /** Keeps what a response set, drops what it expired. */
  store(url: string, res: Response) {
    const { origin, pathname } = new URL(url);
    const jar = this.cookies.get(origin) ?? [];
    for (const header of res.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';').map(s => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attr = (key: string) =>
        attributes
          .find(a => a.toLowerCase().startsWith(`${key}=`))
          ?.slice(key.length + 1);
      const path = attr('path') || pathname.replace(/\/[^/]*$/, '') || '/';
      const expires = attr('expires');
      const expired =
        attr('max-age') === '0' ||
        (expires !== undefined && Date.parse(expires) <= Date.now());
      const rest = jar.filter(c => !(c.name === name && c.path === path));
      jar.length = 0;
      jar.push(...rest);
      if (!expired) jar.push({ name, value, path });
    }
    this.cookies.set(origin, jar);
  }

  /** The Cookie header for a request to `url`. */
  header(url: string): string {
    const { origin, pathname } = new URL(url);
    return (this.cookies.get(origin) ?? [])
      .filter(c => pathMatches(c.path, pathname))
      .map(c => `${c.name}=${c.value}`)
      .join('; ');
  }

  /** A fetch that sends and keeps cookies and does not follow redirects. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const cookie = this.header(url);
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        ...(cookie && { cookie }),
      },
    });
    this.store(url, res);
    return res;
  }
}
