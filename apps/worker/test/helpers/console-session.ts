import type { FastifyInstance, LightMyRequestResponse } from "fastify";

/** Form posts as a browser sends them. */
const FORM = { "content-type": "application/x-www-form-urlencoded" };

/** A page's CSRF pair: the secret cookie it set and the token in its forms (the sign-out form's, on every signed-in page). */
export interface CsrfPair {
  cookie: string;
  token: string;
}

function csrfPairOf(response: { cookies: { name: string; value: string }[]; body: string }): CsrfPair {
  const cookie = response.cookies.find((c) => c.name === "restock_csrf")?.value;
  const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
  if (cookie === undefined || token === undefined) throw new Error(`no CSRF pair on the page: ${response.body.slice(0, 300)}`);
  return { cookie, token };
}

/** Signs in through the sign-in form (its CSRF pair first), as a browser does; the session cookie's value. */
export async function signInByForm(http: FastifyInstance, adminToken: string): Promise<string> {
  const form = await http.inject({ method: "GET", url: "/console/sign-in" });
  const csrf = csrfPairOf(form);
  const signedIn = await http.inject({
    method: "POST",
    url: "/console/sign-in",
    cookies: { restock_csrf: csrf.cookie },
    payload: new URLSearchParams({ _csrf: csrf.token, token: adminToken }).toString(),
    headers: FORM,
  });
  const session = signedIn.cookies.find((c) => c.name === "restock_session")?.value;
  if (signedIn.statusCode !== 303 || !session) throw new Error(`sign-in failed: ${signedIn.statusCode}`);
  return session;
}

/** The CSRF pair of a console page opened with this session (what its forms, sign-out included, send). */
export async function csrfPairFor(http: FastifyInstance, session: string): Promise<CsrfPair> {
  const page = await http.inject({ method: "GET", url: "/console/integrations", cookies: { restock_session: session } });
  if (page.statusCode !== 200) throw new Error(`the session did not open a page: ${page.statusCode}`);
  return csrfPairOf(page);
}

/** A console form posted with this session and CSRF pair. */
export function postForm(
  http: FastifyInstance,
  url: string,
  session: string,
  csrf: CsrfPair,
  fields: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return http.inject({
    method: "POST",
    url,
    cookies: { restock_session: session, restock_csrf: csrf.cookie },
    payload: new URLSearchParams({ ...fields, _csrf: csrf.token }).toString(),
    headers: FORM,
  });
}

/** Presses Sign out on a page opened with this session. */
export async function signOutByForm(http: FastifyInstance, session: string, csrf?: CsrfPair): Promise<LightMyRequestResponse> {
  return postForm(http, "/console/sign-out", session, csrf ?? (await csrfPairFor(http, session)));
}
