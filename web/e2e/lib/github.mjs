// GitHub and jsDelivr answered from a release tree through Playwright's
// request interception, as the real hosts answer: exact paths (a wrong tag
// or a `%2F` for a `/` is a 404), rate-limit headers on every API answer,
// the CORS headers each host sends, private repositories that answer 404
// to anyone without the token, and raw files as blobs by their git sha.
// No request leaves the machine: anything else off 127.0.0.1 is aborted.

import { createHash } from "node:crypto";

export const OWNER = "sam-rivera";
export const REPO = "cis-92";
export const TAG = "milestone-13.1";
export const TOKEN = "ghp_e2eTOKEN";

export const releaseUrl = ({ owner = OWNER, repo = REPO, tag = TAG } = {}) =>
  `https://github.com/${owner}/${repo}/releases/tag/${tag}`;

// What api.github.com sends with every answer (its CORS headers, from
// GitHub's docs on CORS).
const apiCors = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers":
    "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset",
  "cache-control": "public, max-age=60, s-maxage=60",
};
// raw.githubusercontent.com and jsDelivr: any origin, nothing exposed.
const cors = { "access-control-allow-origin": "*" };

export const json = (status, body, headers = {}) => ({
  status,
  contentType: "application/json; charset=utf-8",
  headers: { ...apiCors, ...headers },
  body: JSON.stringify(body),
});

/** GitHub's rate-limit headers with `remaining` calls left, resetting in 30 minutes. */
export const rate = (remaining, limit = 60) => ({
  "x-ratelimit-limit": String(limit),
  "x-ratelimit-remaining": String(remaining),
  "x-ratelimit-used": String(limit - remaining),
  "x-ratelimit-resource": "core",
  "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 1800),
});

const notFound = () =>
  json(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" }, rate(50));

/** The raw host's rate limit for anonymous downloads. */
export const rawLimited = () => ({
  status: 429,
  contentType: "text/plain; charset=utf-8",
  headers: { ...cors, "retry-after": "3600", "x-github-request-id": "E2E:RAW:429" },
  body: "429: Too Many Requests",
});

/** A git blob's sha, as the tree lists it. */
export const blobSha = (bytes) =>
  createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");

/** The URL path of a ref, each segment encoded (a tag may hold `/`). */
const refPath = (ref) => ref.split("/").map(encodeURIComponent).join("/");

/**
 * How each host answers for `tree` (path → bytes) at `tag`. `kind` is
 * "release" (a published release), "tag" (a tag without a release) or
 * "branch" (a branch of that name: the tree answers, nothing else does).
 * `private: true` hides the repository from anyone without the token.
 * Override any of `release`, `tree`, `ref`, `blob(sha, raw)`, `raw(path)`,
 * `listing`, `cdn(path)`: a function giving a `route.fulfill` answer, or
 * the string "abort" for a failed connection (or a promise of either, for
 * a slow host).
 */
export function answersFor(tree, { tag = TAG, kind = "release", private: hidden = false, symlinks = [], ...overrides } = {}) {
  const bySha = new Map([...tree].map(([, bytes]) => [blobSha(bytes), bytes]));
  const file = (body404) => (path) => {
    const bytes = tree.get(path);
    return bytes ? { status: 200, headers: cors, body: bytes } : { status: 404, headers: cors, contentType: "text/plain; charset=utf-8", body: body404 };
  };
  return {
    tag,
    hidden,
    release: () =>
      kind === "release"
        ? json(200, { tag_name: tag, name: "Milestone 13", draft: false, prerelease: false, target_commitish: "main" }, rate(57))
        : notFound(),
    tree: () =>
      json(
        200,
        {
          sha: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
          tree: [
            ...[...tree].map(([path, bytes]) => ({ path, mode: "100644", type: "blob", sha: blobSha(bytes), size: bytes.length })),
            ...symlinks.map(([path, target]) => ({ path, mode: "120000", type: "blob", sha: blobSha(Buffer.from(target)), size: target.length })),
          ],
          truncated: false,
        },
        rate(56),
      ),
    ref: () =>
      kind === "branch"
        ? notFound()
        : json(200, { ref: `refs/tags/${tag}`, object: { sha: "4b825dc642cb6eb9a060e54bf8d69288fbee4904", type: "commit" } }, rate(55)),
    blob: (sha, raw) => {
      const bytes = bySha.get(sha);
      if (!bytes) return notFound();
      if (raw) return { status: 200, contentType: "application/vnd.github.raw", headers: apiCors, body: bytes };
      return json(200, { sha, size: bytes.length, encoding: "base64", content: bytes.toString("base64") });
    },
    raw: file("404: Not Found"),
    listing: () =>
      json(200, { type: "gh", name: `${OWNER}/${REPO}`, version: tag, default: null, files: [...tree].map(([p, b]) => ({ name: `/${p}`, hash: "x", size: b.length })), links: {} }),
    cdn: file("Couldn't find the requested file."),
    ...overrides,
  };
}

/** The 404 GitHub gives for a repository or tag that does not exist. */
export const missing = { release: notFound, tree: notFound, ref: notFound };

/**
 * Several repositories at once (a class): `byRepo` maps "owner/repo" to
 * [`answersFor`]'s answers; any other repository does not exist.
 */
export const answersByRepo = (byRepo) => ({ byRepo });

/**
 * One repository with a release at each tag of `trees` (tag → tree), and
 * the releases list naming them all (what the comparison view asks).
 */
export function answersForTags(trees) {
  const byTag = Object.fromEntries(Object.entries(trees).map(([tag, tree]) => [tag, answersFor(tree, { tag })]));
  const tagOfSha = new Map(Object.entries(trees).flatMap(([tag, tree]) => [...tree.values()].map((b) => [blobSha(b), tag])));
  const tags = Object.keys(trees);
  const releases = () => json(200, tags.map((tag_name) => ({ tag_name, draft: false, prerelease: false })).reverse(), rate(54));
  const pick = ({ url }) => {
    const path = decodeURIComponent(new URL(url).pathname);
    const sha = path.match(/\/git\/blobs\/([0-9a-f]{40})$/)?.[1];
    const tag = sha ? tagOfSha.get(sha) : tags.find((t) => [`/${t}`, `@${t}`].some((at) => path.endsWith(at) || path.includes(`${at}/`)));
    return byTag[tag] ? { ...byTag[tag], releases } : { ...answersFor(new Map(), { tag: tags[0] }), ...missing, releases };
  };
  return { pick };
}

/** The answers of the repository a request names, on any of the four hosts. */
function repoAnswers(byRepo, { host, url }) {
  const path = new URL(url).pathname;
  const named = {
    "api.github.com": /^\/repos\/([^/]+)\/([^/]+)\//,
    "raw.githubusercontent.com": /^\/([^/]+)\/([^/]+)\//,
    "data.jsdelivr.com": /^\/v1\/packages\/gh\/([^/]+)\/([^/@]+)@/,
    "cdn.jsdelivr.net": /^\/gh\/([^/]+)\/([^/@]+)@/,
  }[host];
  const [, owner, repo] = path.match(named) ?? [];
  return byRepo[`${owner}/${repo}`] ?? { ...answersFor(new Map()), ...missing, listing: () => json(404, { status: 404, message: "Couldn't find the requested release." }) };
}

export const HOSTS = ["api.github.com", "raw.githubusercontent.com", "data.jsdelivr.com", "cdn.jsdelivr.net"];

/** Fresh counters of the calls each host got, and the headers of interest. */
const newCalls = () => ({ api: 0, preflights: 0, ref: 0, blobs: 0, raw: 0, listing: 0, cdn: 0, apiPaths: [], rawPaths: [], accept: [], other: [], authorization: { api: [], other: [] } });

/**
 * How `answers` answers one request to one of [`HOSTS`] (`headers` with
 * lower-case names), counted in `calls`: a `route.fulfill`-shaped answer,
 * "abort", or a promise of either. Shared by the interception and the
 * real server, so both are the same GitHub.
 */
async function respond(answers, calls, request) {
  const chosen = answers.byRepo ? repoAnswers(answers.byRepo, request) : answers;
  const answer = await answerOf(chosen.pick ? chosen.pick(request) : chosen, calls, request);
  // An authenticated call counts against the token's own 5,000 an hour.
  if (request.host !== "api.github.com" || !request.headers.authorization || answer === "abort" || request.method === "OPTIONS") return answer;
  return { ...answer, headers: { ...answer.headers, ...rate(5000 - calls.api, 5000) } };
}

function answerOf(answers, calls, { host, url: address, method, headers }) {
  const tag = refPath(answers.tag ?? TAG);
  const url = new URL(address);
  // The file's path after `/{owner}/{repo}/{tag}/` (raw host) or
  // `/gh/{owner}/{repo}@{tag}/` (jsDelivr), exactly the tag's segments; or null.
  const filePath = (pattern, at) => {
    const rest = url.pathname.match(pattern)?.[1] ?? "";
    const prefix = `${at}${tag}/`;
    return rest.startsWith(prefix) ? decodeURIComponent(rest.slice(prefix.length)) : null;
  };
  const plain404 = (body) => ({ status: 404, headers: cors, contentType: "text/plain; charset=utf-8", body });
  if (host === "api.github.com") {
    if (method === "OPTIONS") {
      calls.preflights += 1;
      return {
        status: 204,
        headers: { ...apiCors, "access-control-allow-headers": "Authorization, Accept, Content-Type, If-Match, If-Modified-Since, If-None-Match, If-Unmodified-Since, X-GitHub-OTP, X-Requested-With", "access-control-allow-methods": "GET, POST, PATCH, PUT, DELETE", "access-control-max-age": "86400" },
        body: "",
      };
    }
    calls.api += 1;
    const { authorization, accept } = headers;
    calls.authorization.api.push(authorization);
    calls.accept.push(accept);
    calls.apiPaths.push(url.pathname + url.search);
    const repo = url.pathname.match(/^\/repos\/[^/]+\/[^/]+\/(.*)$/)?.[1];
    // A private repository is "Not Found" to anyone without the token.
    if (repo === undefined || (answers.hidden && authorization !== `Bearer ${TOKEN}`)) return notFound();
    if (repo === "releases" && url.search === "?per_page=100" && answers.releases) return answers.releases();
    if (repo === `releases/tags/${tag}` && url.search === "") return answers.release();
    if (repo === `git/trees/${tag}` && url.search === "?recursive=1") return answers.tree();
    if (repo === `git/ref/tags/${tag}` && url.search === "") {
      calls.ref += 1;
      return answers.ref();
    }
    const blob = repo.match(/^git\/blobs\/([0-9a-f]{40})$/);
    if (blob && url.search === "") {
      calls.blobs += 1;
      return answers.blob(blob[1], accept === "application/vnd.github.raw+json");
    }
    return notFound();
  }
  if (host === "raw.githubusercontent.com") {
    calls.raw += 1;
    calls.rawPaths.push(url.pathname);
    calls.authorization.other.push(headers.authorization);
    const path = filePath(/^\/[^/]+\/[^/]+(.*)$/, "/");
    return path === null || answers.hidden ? plain404("404: Not Found") : answers.raw(path);
  }
  if (host === "data.jsdelivr.com") {
    calls.listing += 1;
    return answers.listing();
  }
  calls.cdn += 1;
  calls.authorization.other.push(headers.authorization);
  const path = filePath(/^\/gh\/[^/]+\/[^/@]+(.*)$/, "@");
  return path === null || answers.hidden ? plain404("Couldn't find the requested file.") : answers.cdn(path);
}

/**
 * Routes the four hosts of `context` to `answers` (see [`answersFor`]);
 * returns live counters of the calls and the headers each got.
 */
export async function routeHosts(context, answers) {
  const calls = newCalls();
  // Registered first, so it runs last: whatever nothing else answers.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => {
    calls.other.push(route.request().url());
    return route.abort("blockedbyclient");
  });
  for (const host of HOSTS) {
    await context.route(`https://${host}/**`, async (route) => {
      const request = route.request();
      const answer = await respond(answers, calls, { host, url: request.url(), method: request.method(), headers: request.headers() });
      return answer === "abort" ? route.abort("connectionfailed") : route.fulfill(answer);
    });
  }
  return calls;
}

/**
 * The four hosts as one real HTTPS server on 127.0.0.1 (a certificate made
 * for them with openssl, in `dir`), told apart by the `Host` header: a
 * browser started with `browserArgs(server)` reaches it for every one of
 * them and does real CORS, preflights included. Returns the server and its
 * live counters; close it when done.
 */
export async function serveHosts(answers, dir) {
  const { execFileSync } = await import("node:child_process");
  const { readFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { createServer } = await import("node:https");
  const [key, cert] = [join(dir, "hosts.key"), join(dir, "hosts.crt")];
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=api.github.com", "-addext", `subjectAltName=${HOSTS.map((h) => `DNS:${h}`).join(",")}`], { stdio: "ignore" });
  const calls = newCalls();
  const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, async (request, response) => {
    const host = (request.headers.host ?? "").replace(/:\d+$/, "");
    if (!HOSTS.includes(host)) {
      calls.other.push(`${host}${request.url}`);
      return response.writeHead(421).end();
    }
    const answer = await respond(answers, calls, { host, url: `https://${host}${request.url}`, method: request.method, headers: request.headers });
    if (answer === "abort") return request.socket.destroy();
    const headers = { ...answer.headers };
    if (answer.contentType) headers["content-type"] = answer.contentType;
    response.writeHead(answer.status, headers).end(answer.body ?? "");
  });
  await new Promise((ready) => server.listen(0, "127.0.0.1", ready));
  return { server, calls };
}

/** Chromium's flags that send [`HOSTS`] to a [`serveHosts`] server. */
export const browserArgs = (server) => [
  `--host-resolver-rules=${HOSTS.map((h) => `MAP ${h} 127.0.0.1:${server.address().port}`).join(", ")}`,
  "--ignore-certificate-errors",
];
