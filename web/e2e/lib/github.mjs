// GitHub and jsDelivr answered from a release tree through Playwright's
// request interception (with the CORS headers the real hosts send). No
// request leaves the machine: anything else off 127.0.0.1 is aborted.

export const OWNER = "sam-rivera";
export const REPO = "cis-92";
export const TAG = "milestone-13.1";

export const releaseUrl = ({ owner = OWNER, repo = REPO, tag = TAG } = {}) =>
  `https://github.com/${owner}/${repo}/releases/tag/${tag}`;

const cors = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset",
};

export const json = (status, body, headers = {}) => ({
  status,
  contentType: "application/json",
  headers: { ...cors, ...headers },
  body: JSON.stringify(body),
});

/** GitHub's rate-limit headers with `remaining` calls left, resetting in 30 minutes. */
export const rate = (remaining) => ({
  "x-ratelimit-limit": "60",
  "x-ratelimit-remaining": String(remaining),
  "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 1800),
});

const notFound = () => json(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" }, rate(50));

/**
 * How each host answers for `tree` (path → bytes). Override any of
 * `release`, `tree`, `raw(path)`, `listing`, `cdn(path)`: a function giving
 * a `route.fulfill` answer, or the string "abort" for a failed connection
 * (or a promise of either, for a slow host).
 */
export function answersFor(tree, { tag = TAG, ...overrides } = {}) {
  const file = (body404) => (path) => {
    const bytes = tree.get(path);
    return bytes ? { status: 200, headers: cors, body: bytes } : { status: 404, headers: cors, body: body404 };
  };
  return {
    release: () => json(200, { tag_name: tag, name: "Milestone 13", draft: false, prerelease: false, target_commitish: "main" }, rate(57)),
    tree: () =>
      json(
        200,
        {
          sha: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
          tree: [...tree].map(([path, bytes]) => ({ path, mode: "100644", type: "blob", sha: "0".repeat(40), size: bytes.length })),
          truncated: false,
        },
        rate(56),
      ),
    raw: file("404: Not Found"),
    listing: () =>
      json(200, { type: "gh", name: `${OWNER}/${REPO}`, version: tag, files: [...tree].map(([p, b]) => ({ name: `/${p}`, hash: "x", size: b.length })) }),
    cdn: file("Not found"),
    ...overrides,
  };
}

/** The 404 GitHub gives for a repository or tag that does not exist. */
export const missing = { release: notFound, tree: notFound };

/**
 * Routes the four hosts of `context` to `answers` (see [`answersFor`]);
 * returns live counters of the calls and the headers each got.
 */
export async function routeHosts(context, answers) {
  const calls = { api: 0, raw: 0, listing: 0, cdn: 0, other: [], authorization: { api: [], other: [] } };
  // An answer may come later (a promise: a slow host).
  const reply = async (route, pending) => {
    const answer = await pending;
    return answer === "abort" ? route.abort("connectionfailed") : route.fulfill(answer);
  };
  const filePath = (url, skip) => decodeURIComponent(new URL(url).pathname.split("/").slice(skip).join("/"));
  // Registered first, so it runs last: whatever nothing else answers.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => {
    calls.other.push(route.request().url());
    return route.abort("blockedbyclient");
  });
  await context.route("https://api.github.com/**", async (route) => {
    const request = route.request();
    if (request.method() === "OPTIONS") {
      return route.fulfill({ status: 204, headers: { ...cors, "access-control-allow-headers": "authorization, accept" } });
    }
    calls.api += 1;
    calls.authorization.api.push(request.headers()["authorization"]);
    const path = new URL(request.url()).pathname;
    if (path.includes("/releases/tags/")) return reply(route, answers.release());
    if (path.includes("/git/trees/")) return reply(route, answers.tree());
    return route.fulfill(notFound());
  });
  await context.route("https://raw.githubusercontent.com/**", async (route) => {
    calls.raw += 1;
    calls.authorization.other.push(route.request().headers()["authorization"]);
    return reply(route, answers.raw(filePath(route.request().url(), 4)));
  });
  await context.route("https://data.jsdelivr.com/**", async (route) => {
    calls.listing += 1;
    return reply(route, answers.listing());
  });
  await context.route("https://cdn.jsdelivr.net/**", async (route) => {
    calls.cdn += 1;
    calls.authorization.other.push(route.request().headers()["authorization"]);
    return reply(route, answers.cdn(filePath(route.request().url(), 4)));
  });
  return calls;
}
