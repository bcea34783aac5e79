//! GitHub, for the native CLI: prove that the posted release exists (the
//! releases API), then download its zipball into a [`ZipSource`]. Without a
//! token the zip comes from the release's own "Source code (zip)" link on
//! github.com, which the API's 60 calls an hour do not count, so a published
//! release costs one API call (a class of 40 fits in the anonymous hour);
//! with a token, from the API (which also reaches private repositories).
//! More calls only to explain a failure.

mod error;
mod http;

use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use m13_rules::url::GitHubLink;
use m13_rules::{Origin, ReleaseProof, SourceKind};
use serde_json::Value;

pub use self::error::GitHubError;
use self::http::{Client, Reply, encode, network, shown};
use crate::zip::ZipSource;

/// The API used unless [`API_ENV`] names another (a test server).
pub const DEFAULT_API: &str = "https://api.github.com";
/// Environment variable overriding the API base URL.
pub const API_ENV: &str = "M13_GITHUB_API";
/// The site whose `/OWNER/REPO/archive/...` links serve a release's zip.
pub const DEFAULT_WEB: &str = "https://github.com";
/// Environment variable overriding the site's base URL. When only
/// [`API_ENV`] is set (a test server), the site is that server too.
pub const WEB_ENV: &str = "M13_GITHUB_WEB";
/// Largest zipball downloaded: far above any student repository, low
/// enough that a wrong link does not fill the memory.
pub const MAX_DOWNLOAD_BYTES: u64 = 300 * 1024 * 1024;
/// Largest JSON answer read from the API.
const MAX_JSON_BYTES: u64 = 1024 * 1024;

/// A downloaded release and what GitHub said about it.
#[derive(Debug)]
pub struct Fetched {
    pub source: ZipSource,
    pub origin: Origin,
}

/// The API quota as of the last answer from the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub remaining: u64,
    /// When the quota refills, in seconds since the Unix epoch.
    pub reset: u64,
    pub limit: Option<u64>,
}

impl RateLimit {
    /// `14:05 UTC`: when the quota refills.
    pub fn resets_at(&self) -> String {
        error::clock_utc(self.reset)
    }
}

pub struct GitHub {
    api_base: String,
    web_base: String,
    token: Option<String>,
    client: Client,
    max_download: u64,
    last_rate: Mutex<Option<RateLimit>>,
}

/// Never shows the token.
impl std::fmt::Debug for GitHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitHub")
            .field("api_base", &self.api_base)
            .field("web_base", &self.web_base)
            .field("token", &self.token.as_ref().map(|_| "<hidden>"))
            .field("max_download", &self.max_download)
            .finish_non_exhaustive()
    }
}

impl GitHub {
    /// The real API and site, or the ones [`API_ENV`] and [`WEB_ENV`] name.
    pub fn new(token: Option<String>) -> GitHub {
        let var = |name| std::env::var(name).ok().filter(|b: &String| !b.trim().is_empty());
        let api = var(API_ENV);
        let web = var(WEB_ENV).or_else(|| api.clone());
        let mut github = GitHub::with_api_base(api.as_deref().unwrap_or(DEFAULT_API), token);
        github.web_base = base(web.as_deref().unwrap_or(DEFAULT_WEB));
        github
    }

    /// A given API base such as `http://127.0.0.1:PORT`, which also stands
    /// for the site (tests). An empty token counts as none.
    pub fn with_api_base(api_base: &str, token: Option<String>) -> GitHub {
        let api_base = base(api_base);
        let token = token.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        GitHub {
            client: Client::new(&api_base, token.clone()),
            web_base: api_base.clone(),
            api_base,
            token,
            max_download: MAX_DOWNLOAD_BYTES,
            last_rate: Mutex::new(None),
        }
    }

    /// Another cap on the zipball's size (tests).
    pub fn with_max_download(mut self, bytes: u64) -> GitHub {
        self.max_download = bytes;
        self
    }

    /// The quota GitHub reported in its last API answer, if any.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.last_rate.lock().ok().and_then(|guard| *guard)
    }

    /// Downloads what `url` points at and says what it proves about the
    /// release. A release page is looked up first; a branch, commit,
    /// repository or download link is fetched but proves nothing.
    pub fn fetch(&self, url: &str) -> Result<Fetched, GitHubError> {
        let link = GitHubLink::parse(url).map_err(|e| GitHubError::NotGitHub(e.0))?;
        if self.token.as_ref().is_some_and(|t| !t.bytes().all(|b| b.is_ascii_graphic())) {
            return Err(GitHubError::BadToken);
        }
        let (owner, repo) = link.owner_repo();
        let not_release =
            || ReleaseProof::NotChecked { reason: "the link is a branch/commit, not a release".to_owned() };
        let (reference, proof) = match &link {
            GitHubLink::Release { tag, .. } => (Some(tag.clone()), self.release_proof(owner, repo, tag)?),
            GitHubLink::Releases { latest: true, .. } => {
                let proof = self.latest_release(owner, repo)?;
                let tag = match &proof {
                    ReleaseProof::Published { tag, .. } => Some(tag.clone()),
                    _ => None,
                };
                (tag, proof)
            }
            GitHubLink::Tree { reference, .. } => (Some(reference.clone()), not_release()),
            GitHubLink::Commit { sha, .. } => (Some(sha.clone()), not_release()),
            GitHubLink::Archive { reference, .. } => (
                Some(reference.clone()),
                ReleaseProof::NotChecked { reason: "the link is a download, not a release page".to_owned() },
            ),
            GitHubLink::Repository { .. } => (
                None,
                ReleaseProof::NotChecked {
                    reason: "the link is the repository, not a release: its default branch was checked".to_owned(),
                },
            ),
            GitHubLink::Releases { latest: false, .. } | GitHubLink::Other { .. } => {
                return Err(GitHubError::NotARelease { url: url.trim().to_owned(), what: link.explain() });
            }
        };
        // The release's own "Source code (zip)" link, for a tag; a branch
        // name may hold a `/`, so branches and the rest go through the API.
        let archive = match (&link, &proof) {
            (GitHubLink::Release { .. } | GitHubLink::Releases { .. }, ReleaseProof::Published { tag, .. })
            | (GitHubLink::Release { .. }, ReleaseProof::TagWithoutRelease { tag }) => {
                Some(format!("archive/refs/tags/{}.zip", encode(tag)))
            }
            _ => None,
        };
        let source = match self.download(owner, repo, reference.as_deref(), archive.as_deref()) {
            // Neither a tag nor a branch of that name.
            Err(GitHubError::NoSuchRef { owner, repo, reference })
                if matches!(proof, ReleaseProof::NoSuchTag { .. }) =>
            {
                return Err(GitHubError::NoSuchTag { owner, repo, tag: reference });
            }
            downloaded => downloaded?,
        };
        let origin = Origin::new(SourceKind::GitHub).posted_url(url.trim()).release(proof);
        Ok(Fetched { source, origin })
    }

    /// `releases/tags/TAG`; on 404, `git/ref/tags/TAG` tells a tag without
    /// a release from no tag at all.
    fn release_proof(&self, owner: &str, repo: &str, tag: &str) -> Result<ReleaseProof, GitHubError> {
        let url = self.api(&format!("repos/{}/{}/releases/tags/{}", encode(owner), encode(repo), encode(tag)));
        let reply = self.call(&url)?;
        match reply.status {
            200 => published(&url, &self.json(reply)?),
            404 => {
                let url = self.api(&format!("repos/{}/{}/git/ref/tags/{}", encode(owner), encode(repo), encode(tag)));
                let reply = self.call(&url)?;
                match reply.status {
                    200 => Ok(ReleaseProof::TagWithoutRelease { tag: tag.to_owned() }),
                    // 409: the repository is empty, so it has no tags.
                    // No such tag: a branch of that name, perhaps. Its files are checked (the
                    // download fails as before when there is none), and `release-tag` fails.
                    404 => Ok(ReleaseProof::NoSuchTag { tag: tag.to_owned() }),
                    409 => Err(self.missing(owner, repo, || GitHubError::NoSuchTag {
                        owner: owner.to_owned(),
                        repo: repo.to_owned(),
                        tag: tag.to_owned(),
                    })),
                    _ => Err(self.unexpected(reply)),
                }
            }
            _ => Err(self.unexpected(reply)),
        }
    }

    fn latest_release(&self, owner: &str, repo: &str) -> Result<ReleaseProof, GitHubError> {
        let url = self.api(&format!("repos/{}/{}/releases/latest", encode(owner), encode(repo)));
        let reply = self.call(&url)?;
        match reply.status {
            200 => published(&url, &self.json(reply)?),
            404 => {
                Err(self
                    .missing(owner, repo, || GitHubError::NoRelease { owner: owner.to_owned(), repo: repo.to_owned() }))
            }
            _ => Err(self.unexpected(reply)),
        }
    }

    /// After a 404: a missing repository (or a private one) and a missing
    /// tag or branch need different fixes, so ask which it is.
    fn missing(&self, owner: &str, repo: &str, inside: impl FnOnce() -> GitHubError) -> GitHubError {
        let url = self.api(&format!("repos/{}/{}", encode(owner), encode(repo)));
        match self.call(&url) {
            Ok(reply) if reply.status == 200 => inside(),
            Ok(reply) if reply.status == 404 => GitHubError::NoSuchRepository {
                owner: owner.to_owned(),
                repo: repo.to_owned(),
                with_token: self.token.is_some(),
            },
            Ok(reply) => self.unexpected(reply),
            Err(error) => error,
        }
    }

    /// The zipball of `reference` (the default branch when `None`), whole,
    /// within [`Self::with_max_download`]'s cap: from `archive` on the site
    /// when there is no token, else (or when the site cannot serve it, as
    /// for a private repository) from the API.
    fn download(
        &self,
        owner: &str,
        repo: &str,
        reference: Option<&str>,
        archive: Option<&str>,
    ) -> Result<ZipSource, GitHubError> {
        let (path, what, name) = match reference {
            Some(r) => (
                format!("repos/{}/{}/zipball/{}", encode(owner), encode(repo), encode(r)),
                format!("{owner}/{repo}@{r}"),
                format!("{repo}-{}.zip", r.replace('/', "-")),
            ),
            None => (
                format!("repos/{}/{}/zipball", encode(owner), encode(repo)),
                format!("{owner}/{repo}"),
                format!("{repo}.zip"),
            ),
        };
        if let (None, Some(archive)) = (&self.token, archive) {
            let url = format!("{}/{}/{}/{archive}", self.web_base, encode(owner), encode(repo));
            // Anything but the zip (a 404 for a private repository, a
            // network error) is explained by the API's answer instead.
            if let Ok(reply) = self.client.get(&url)
                && reply.status == 200
            {
                return self.read_zip(reply, what, &name);
            }
        }
        let url = self.api(&path);
        let reply = self.call(&url)?;
        match (reply.status, reference) {
            (200, _) => {}
            (404, Some(r)) => {
                return Err(self.missing(owner, repo, || GitHubError::NoSuchRef {
                    owner: owner.to_owned(),
                    repo: repo.to_owned(),
                    reference: r.to_owned(),
                }));
            }
            (404, None) => {
                let empty = || GitHubError::Unexpected {
                    url: url.clone(),
                    status: 404,
                    message: "there is no default branch to download (is the repository empty?)".to_owned(),
                };
                return Err(self.missing(owner, repo, empty));
            }
            _ => return Err(self.unexpected(reply)),
        }
        self.read_zip(reply, what, &name)
    }

    /// The body of a zip download, within the size cap.
    fn read_zip(&self, reply: Reply, what: String, name: &str) -> Result<ZipSource, GitHubError> {
        let limit = self.max_download;
        if let Some(size) = reply.header_u64("content-length").filter(|&size| size > limit) {
            return Err(GitHubError::TooLarge { what, size: Some(size), limit });
        }
        let from = reply.url;
        let bytes = match reply.response.into_body().into_with_config().limit(limit).read_to_vec() {
            Ok(bytes) => bytes,
            Err(ureq::Error::BodyExceedsLimit(_)) => return Err(GitHubError::TooLarge { what, size: None, limit }),
            Err(error) => return Err(network(&from, &error)),
        };
        ZipSource::from_bytes(name, bytes).map_err(|source| GitHubError::NotZip { what, source })
    }

    fn api(&self, path: &str) -> String {
        format!("{}/{path}", self.api_base)
    }

    /// One GET; records the quota and turns rate limits and a refused token
    /// into their errors, whatever was asked.
    fn call(&self, url: &str) -> Result<Reply, GitHubError> {
        let reply = self.client.get(url)?;
        if !reply.from_api {
            return Ok(reply);
        }
        let remaining = reply.header_u64("x-ratelimit-remaining");
        let reset = reply.header_u64("x-ratelimit-reset");
        let limit = reply.header_u64("x-ratelimit-limit");
        if let (Some(remaining), Some(reset), Ok(mut last)) = (remaining, reset, self.last_rate.lock()) {
            *last = Some(RateLimit { remaining, reset, limit });
        }
        match reply.status {
            401 => Err(GitHubError::BadCredentials),
            403 | 429 if remaining == Some(0) => {
                Err(GitHubError::RateLimited { limit, reset, now: now(), with_token: self.token.is_some() })
            }
            403 | 429 if reply.status == 429 || reply.header("retry-after").is_some() => {
                Err(GitHubError::SlowDown { retry_after: reply.header_u64("retry-after") })
            }
            _ => Ok(reply),
        }
    }

    fn json(&self, reply: Reply) -> Result<Value, GitHubError> {
        let url = shown(&reply.url);
        let text = reply
            .response
            .into_body()
            .into_with_config()
            .limit(MAX_JSON_BYTES)
            .read_to_string()
            .map_err(|error| network(&url, &error))?;
        serde_json::from_str(&text).map_err(|error| GitHubError::BadResponse { url, detail: error.to_string() })
    }

    /// Any other status, with GitHub's own `message` when it sent one.
    fn unexpected(&self, reply: Reply) -> GitHubError {
        let status = reply.status;
        let url = shown(&reply.url);
        let text = reply.response.into_body().into_with_config().limit(64 * 1024).read_to_string().unwrap_or_default();
        let message = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_owned))
            .unwrap_or_else(|| text.chars().take(200).collect());
        GitHubError::Unexpected { url, status, message }
    }
}

/// A release from the releases API.
fn published(url: &str, value: &Value) -> Result<ReleaseProof, GitHubError> {
    let Some(tag) = value.get("tag_name").and_then(Value::as_str) else {
        return Err(GitHubError::BadResponse {
            url: url.to_owned(),
            detail: "the release has no `tag_name`".to_owned(),
        });
    };
    let name = value.get("name").and_then(Value::as_str).filter(|n| !n.trim().is_empty()).map(str::to_owned);
    Ok(ReleaseProof::Published {
        tag: tag.to_owned(),
        name,
        draft: value.get("draft").and_then(Value::as_bool).unwrap_or(false),
        prerelease: value.get("prerelease").and_then(Value::as_bool).unwrap_or(false),
    })
}

/// A base URL without surrounding spaces or a trailing `/`.
fn base(url: &str) -> String {
    url.trim().trim_end_matches('/').to_owned()
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}
