//! GitHub's REST API and raw file host: the URLs of a check and how to read
//! the two API answers (the release and the recursive tree). Pure: the
//! bytes come from [`super::http`], and this module decides what they mean.

use std::collections::BTreeMap;

use m13_rules::snapshot::limits;
use m13_rules::{Entry, ReleaseProof};
use serde::Deserialize;

use super::error::LoadError;
use super::rate::RateLimit;
use crate::input::ReleaseRef;
use crate::links::{encode_path, encode_segment};

pub const API_HOST: &str = "api.github.com";
pub const RAW_HOST: &str = "raw.githubusercontent.com";

/// `https://api.github.com/repos/O/R/` and `rest`.
fn repo_api(release: &ReleaseRef, rest: &str) -> String {
    format!("https://{API_HOST}/repos/{}/{}/{rest}", encode_segment(&release.owner), encode_segment(&release.repo))
}

/// `GET /repos/O/R/releases/tags/TAG`: is there a release for the tag? A
/// tag may hold `/`: GitHub reads it as more path segments, not `%2F`.
pub fn release_url(release: &ReleaseRef) -> String {
    repo_api(release, &format!("releases/tags/{}", encode_path(&release.tag)))
}

/// `GET /repos/O/R/git/trees/TAG?recursive=1`: every path and blob size at
/// the tag (or at a branch of that name: GitHub accepts either).
pub fn tree_url(release: &ReleaseRef) -> String {
    repo_api(release, &format!("git/trees/{}?recursive=1", encode_path(&release.tag)))
}

/// `GET /repos/O/R/git/ref/tags/TAG`: asked only when the release answers
/// 404, to tell a tag without a release from no tag at all (a branch).
pub fn ref_url(release: &ReleaseRef) -> String {
    repo_api(release, &format!("git/ref/tags/{}", encode_path(&release.tag)))
}

/// `GET /repos/O/R/git/blobs/SHA`: one file through the API (with a token,
/// so a private repository's files can be read), asked as raw bytes.
pub fn blob_url(release: &ReleaseRef, sha: &str) -> String {
    repo_api(release, &format!("git/blobs/{}", encode_segment(sha)))
}

/// `GET /repos/O/R/releases?per_page=100`: the repository's releases, the
/// newest first (a class repository has a handful), for the comparison
/// with an earlier one.
pub fn releases_url(release: &ReleaseRef) -> String {
    repo_api(release, "releases?per_page=100")
}

/// One file at the tag, from the raw host (not counted against the API limit).
pub fn raw_url(release: &ReleaseRef, path: &str) -> String {
    format!(
        "https://{RAW_HOST}/{}/{}/{}/{}",
        encode_segment(&release.owner),
        encode_segment(&release.repo),
        encode_path(&release.tag),
        encode_path(path)
    )
}

/// An HTTP answer: status, body and (API only) the rate-limit headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    pub rate: Option<RateLimit>,
}

/// The request never got an answer (offline, DNS, blocked, CORS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkError(pub String);

/// Why the mirror is used instead of GitHub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MirrorReason {
    /// The API refused: the hourly limit is used up.
    RateLimited { reset: Option<u64> },
    /// Few calls are left in this window, so none were spent.
    LowLimit { remaining: u32, reset: u64 },
    /// The class view keeps the calls left for the rest of its releases.
    ForClass { remaining: u32 },
    /// The API could not be reached.
    Network(String),
    /// The tree was truncated.
    Truncated,
    /// The API answered an unexpected status.
    Unavailable { status: u16 },
}

/// What the two API answers say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listing {
    /// Listed: what GitHub proved about the release, every file, and each
    /// file's blob sha (to read it through the API).
    Listed { proof: ReleaseProof, entries: Vec<Entry>, shas: BTreeMap<String, String> },
    /// GitHub cannot list it now; the mirror may. `proof` keeps what the
    /// release answer proved, if anything.
    TryMirror { reason: MirrorReason, proof: Option<ReleaseProof> },
    /// Nothing to try: report this.
    Failed(LoadError),
}

#[derive(Deserialize)]
struct TreeJson {
    tree: Vec<TreeItem>,
    #[serde(default)]
    truncated: bool,
}

#[derive(Deserialize)]
struct TreeItem {
    path: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    sha: String,
    #[serde(default)]
    size: Option<u64>,
}

/// What a tree answer lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tree {
    pub entries: Vec<Entry>,
    /// Path to blob sha.
    pub shas: BTreeMap<String, String>,
    /// GitHub cut the listing short.
    pub truncated: bool,
}

/// Git's mode for a symbolic link: a blob holding the target's path.
const SYMLINK_MODE: &str = "120000";

#[derive(Deserialize)]
struct ReleaseJson {
    tag_name: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    prerelease: bool,
}

#[derive(Deserialize)]
struct ErrorJson {
    #[serde(default)]
    message: String,
}

/// The files of a tree answer (blobs only: directories and submodules are
/// not files of the release, and symbolic links are skipped as the zip
/// reader skips them) and whether GitHub cut it short.
pub fn parse_tree(body: &[u8]) -> Result<Tree, String> {
    let tree: TreeJson =
        serde_json::from_slice(body).map_err(|e| format!("the tree is not the expected JSON ({e})"))?;
    let items: Vec<TreeItem> = tree
        .tree
        .into_iter()
        .filter(|item| item.kind == "blob" && item.mode != SYMLINK_MODE)
        .take(limits::MAX_ENTRIES)
        .collect();
    let entries = items.iter().map(|item| Entry { path: item.path.clone(), size: item.size.unwrap_or(0) }).collect();
    let shas = m13_rules::order::map_from(items.into_iter().map(|item| (item.path, item.sha)));
    Ok(Tree { entries, shas, truncated: tree.truncated })
}

/// What a release answer (200) proves.
pub fn parse_release(body: &[u8]) -> Result<ReleaseProof, String> {
    let release: ReleaseJson =
        serde_json::from_slice(body).map_err(|e| format!("the release is not the expected JSON ({e})"))?;
    Ok(ReleaseProof::Published {
        tag: release.tag_name,
        name: release.name,
        draft: release.draft,
        prerelease: release.prerelease,
    })
}

/// GitHub's error message (`{"message": …}`), or the status.
pub fn error_message(reply: &Reply) -> String {
    serde_json::from_slice::<ErrorJson>(&reply.body)
        .ok()
        .map(|e| e.message)
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| format!("HTTP {}", reply.status))
}

/// A 403 or 429 that is GitHub's rate limit (primary: no calls left;
/// secondary: "You have exceeded a secondary rate limit").
pub fn is_rate_limited(reply: &Reply) -> bool {
    matches!(reply.status, 403 | 429)
        && (reply.rate.is_some_and(|r| r.remaining == 0)
            || error_message(reply).to_ascii_lowercase().contains("rate limit"))
}

/// Reads the release and tree answers of one check.
pub fn interpret(
    release: &ReleaseRef,
    release_reply: &Result<Reply, NetworkError>,
    tree_reply: &Result<Reply, NetworkError>,
    with_token: bool,
) -> Listing {
    let (release_reply, tree_reply) = match (release_reply, tree_reply) {
        (Ok(r), Ok(t)) => (r, t),
        (Err(NetworkError(e)), _) | (_, Err(NetworkError(e))) => {
            return Listing::TryMirror { reason: MirrorReason::Network(e.clone()), proof: None };
        }
    };
    if let Some(limited) = [release_reply, tree_reply].into_iter().find(|r| is_rate_limited(r)) {
        return Listing::TryMirror {
            reason: MirrorReason::RateLimited { reset: limited.rate.map(|r| r.reset) },
            proof: None,
        };
    }
    if release_reply.status == 401 || tree_reply.status == 401 {
        return Listing::Failed(LoadError::BadToken);
    }
    if let Some(forbidden) = [tree_reply, release_reply].into_iter().find(|r| r.status == 403) {
        return Listing::Failed(LoadError::Forbidden { message: error_message(forbidden) });
    }
    let not_found = || {
        Listing::Failed(LoadError::NotFound {
            owner: release.owner.clone(),
            repo: release.repo.clone(),
            tag: release.tag.clone(),
            with_token,
        })
    };
    // 404: no repository or no such ref; 409: an empty repository; 422: a
    // name GitHub cannot read as a ref.
    if matches!(tree_reply.status, 404 | 409 | 422) {
        return not_found();
    }
    let proof = match release_reply.status {
        200 => match parse_release(&release_reply.body) {
            Ok(proof) => proof,
            Err(detail) => return Listing::Failed(LoadError::BadResponse { host: API_HOST.to_owned(), detail }),
        },
        // No release; the tree may be a tag's or a branch's: [`interpret_ref`]
        // tells which.
        404 => ReleaseProof::TagWithoutRelease { tag: release.tag.clone() },
        status => ReleaseProof::NotChecked { reason: format!("GitHub's releases API answered HTTP {status}") },
    };
    if tree_reply.status != 200 {
        let proof = (release_reply.status == 200).then_some(proof);
        return Listing::TryMirror { reason: MirrorReason::Unavailable { status: tree_reply.status }, proof };
    }
    match parse_tree(&tree_reply.body) {
        Ok(Tree { truncated: true, .. }) => Listing::TryMirror { reason: MirrorReason::Truncated, proof: Some(proof) },
        Ok(Tree { entries, shas, truncated: false }) => Listing::Listed { proof, entries, shas },
        Err(detail) => Listing::Failed(LoadError::BadResponse { host: API_HOST.to_owned(), detail }),
    }
}

#[derive(Deserialize)]
struct ListedRelease {
    tag_name: String,
    #[serde(default)]
    draft: bool,
}

/// Reads the releases list: the tags of the published releases (a draft is
/// nothing a reviewee sent).
pub fn interpret_releases(
    release: &ReleaseRef,
    reply: &Result<Reply, NetworkError>,
    with_token: bool,
    clock: impl Fn(u64) -> String,
) -> Result<Vec<String>, LoadError> {
    let reply = reply.as_ref().map_err(|_| LoadError::Offline)?;
    if is_rate_limited(reply) {
        return Err(LoadError::RateLimited { reset: reply.rate.map(|r| clock(r.reset)), mirror: None });
    }
    match reply.status {
        200 => serde_json::from_slice::<Vec<ListedRelease>>(&reply.body)
            .map(|all| all.into_iter().filter(|r| !r.draft).map(|r| r.tag_name).collect())
            .map_err(|e| LoadError::BadResponse { host: API_HOST.to_owned(), detail: e.to_string() }),
        401 => Err(LoadError::BadToken),
        403 => Err(LoadError::Forbidden { message: error_message(reply) }),
        404 => Err(LoadError::NotFound {
            owner: release.owner.clone(),
            repo: release.repo.clone(),
            tag: release.tag.clone(),
            with_token,
        }),
        status => Err(LoadError::Http { host: API_HOST.to_owned(), status, mirror: None }),
    }
}

/// After a release 404 and a tree 200: the `git/ref/tags/TAG` answer says
/// whether the tag exists (a tag without a release) or the URL names a
/// branch. Any other answer leaves it a tag without a release: there is no
/// release either way, so `release-tag` fails.
pub fn interpret_ref(release: &ReleaseRef, reply: &Result<Reply, NetworkError>) -> Result<ReleaseProof, LoadError> {
    match reply {
        // 409: an empty repository, which has no tags.
        // The tree answered for a branch of that name: its files are checked, and `release-tag` fails.
        Ok(reply) if matches!(reply.status, 404 | 409 | 422) => {
            Ok(ReleaseProof::NoSuchTag { tag: release.tag.clone() })
        }
        _ => Ok(ReleaseProof::TagWithoutRelease { tag: release.tag.clone() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TREE: &str = r#"{
      "sha": "9fb037999f264ba9a7fc6274d15fa3ae2ab98312",
      "url": "https://api.github.com/repos/ana/cis-92/git/trees/9fb037999f264ba9a7fc6274d15fa3ae2ab98312",
      "tree": [
        {"path": "Dockerfile", "mode": "100644", "type": "blob", "sha": "a1", "size": 412, "url": "https://api.github.com/x"},
        {"path": "deployment", "mode": "040000", "type": "tree", "sha": "b2", "url": "https://api.github.com/y"},
        {"path": "deployment/deployment.yaml", "mode": "100644", "type": "blob", "sha": "c3", "size": 1290},
        {"path": "vendor/lib", "mode": "160000", "type": "commit", "sha": "d4"},
        {"path": "settings.py", "mode": "120000", "type": "blob", "sha": "e5", "size": 18}
      ],
      "truncated": false
    }"#;

    const RELEASE: &str = r#"{
      "url": "https://api.github.com/repos/ana/cis-92/releases/1",
      "id": 1,
      "tag_name": "milestone-13.1",
      "target_commitish": "main",
      "name": "Milestone 13",
      "draft": false,
      "prerelease": false,
      "author": {"login": "ana"},
      "assets": []
    }"#;

    const NOT_FOUND: &str =
        r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}"#;
    const RATE_LIMITED: &str = r#"{"message":"API rate limit exceeded for 203.0.113.7. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"}"#;

    fn release() -> ReleaseRef {
        ReleaseRef {
            owner: "ana".into(),
            repo: "cis-92".into(),
            tag: "milestone-13.1".into(),
            url: "https://github.com/ana/cis-92/releases/tag/milestone-13.1".into(),
        }
    }

    fn reply(status: u16, body: &str) -> Result<Reply, NetworkError> {
        Ok(Reply {
            status,
            body: body.as_bytes().to_vec(),
            rate: Some(RateLimit { limit: 60, remaining: 41, reset: 5_000 }),
        })
    }

    #[test]
    fn builds_the_urls() {
        let r = release();
        assert_eq!(release_url(&r), "https://api.github.com/repos/ana/cis-92/releases/tags/milestone-13.1");
        assert_eq!(tree_url(&r), "https://api.github.com/repos/ana/cis-92/git/trees/milestone-13.1?recursive=1");
        assert_eq!(
            raw_url(&r, "mysite/my site/settings.py"),
            "https://raw.githubusercontent.com/ana/cis-92/milestone-13.1/mysite/my%20site/settings.py"
        );
        assert_eq!(ref_url(&r), "https://api.github.com/repos/ana/cis-92/git/ref/tags/milestone-13.1");
        assert_eq!(blob_url(&r, "c3"), "https://api.github.com/repos/ana/cis-92/git/blobs/c3");
    }

    #[test]
    fn a_tag_with_a_slash_is_path_segments() {
        let r = ReleaseRef { tag: "cis-92/milestone 13".into(), ..release() };
        assert_eq!(release_url(&r), "https://api.github.com/repos/ana/cis-92/releases/tags/cis-92/milestone%2013");
        assert_eq!(tree_url(&r), "https://api.github.com/repos/ana/cis-92/git/trees/cis-92/milestone%2013?recursive=1");
        assert_eq!(ref_url(&r), "https://api.github.com/repos/ana/cis-92/git/ref/tags/cis-92/milestone%2013");
    }

    #[test]
    fn parses_a_tree_keeping_blobs_only() {
        let tree = parse_tree(TREE.as_bytes()).expect("parses");
        assert!(!tree.truncated);
        assert_eq!(
            tree.shas.iter().map(|(p, s)| (p.as_str(), s.as_str())).collect::<Vec<_>>(),
            vec![("Dockerfile", "a1"), ("deployment/deployment.yaml", "c3")],
            "no symbolic link, no submodule"
        );
        assert_eq!(
            tree.entries,
            vec![
                Entry { path: "Dockerfile".into(), size: 412 },
                Entry { path: "deployment/deployment.yaml".into(), size: 1290 }
            ]
        );
        assert!(parse_tree(b"{\"message\":\"x\"}").is_err());
    }

    #[test]
    fn a_release_and_a_tree_are_listed() {
        let listing = interpret(&release(), &reply(200, RELEASE), &reply(200, TREE), false);
        let Listing::Listed { proof, entries, shas } = listing else { panic!("not listed: {listing:?}") };
        assert_eq!(shas.get("Dockerfile").map(String::as_str), Some("a1"));
        assert_eq!(
            proof,
            ReleaseProof::Published {
                tag: "milestone-13.1".into(),
                name: Some("Milestone 13".into()),
                draft: false,
                prerelease: false
            }
        );
        assert_eq!(entries.len(), 2);
    }

    #[test]
    fn a_tree_without_release_is_a_tag_without_release() {
        let listing = interpret(&release(), &reply(404, NOT_FOUND), &reply(200, TREE), false);
        assert!(matches!(
            listing,
            Listing::Listed { proof: ReleaseProof::TagWithoutRelease { ref tag }, .. } if tag == "milestone-13.1"
        ));
    }

    #[test]
    fn the_ref_tells_a_tag_from_a_branch() {
        let reference = r#"{"ref":"refs/tags/milestone-13.1","object":{"sha":"aa","type":"commit"}}"#;
        assert_eq!(
            interpret_ref(&release(), &reply(200, reference)),
            Ok(ReleaseProof::TagWithoutRelease { tag: "milestone-13.1".into() })
        );
        assert_eq!(
            interpret_ref(&release(), &reply(404, NOT_FOUND)),
            Ok(ReleaseProof::NoSuchTag { tag: "milestone-13.1".into() })
        );
        assert!(
            matches!(
                interpret_ref(&release(), &Err(NetworkError("offline".into()))),
                Ok(ReleaseProof::TagWithoutRelease { .. })
            ),
            "without an answer there is still no release"
        );
    }

    #[test]
    fn no_tree_is_not_found() {
        let listing = interpret(&release(), &reply(404, NOT_FOUND), &reply(404, NOT_FOUND), false);
        assert!(matches!(listing, Listing::Failed(LoadError::NotFound { with_token: false, .. })));
        let listing = interpret(
            &release(),
            &reply(404, NOT_FOUND),
            &reply(409, "{\"message\":\"Git Repository is empty.\"}"),
            true,
        );
        assert!(matches!(listing, Listing::Failed(LoadError::NotFound { with_token: true, .. })));
    }

    #[test]
    fn the_rate_limit_sends_to_the_mirror() {
        let limited = Ok(Reply {
            status: 403,
            body: RATE_LIMITED.as_bytes().to_vec(),
            rate: Some(RateLimit { limit: 60, remaining: 0, reset: 1_700_003_600 }),
        });
        let listing = interpret(&release(), &limited, &limited, false);
        assert_eq!(
            listing,
            Listing::TryMirror { reason: MirrorReason::RateLimited { reset: Some(1_700_003_600) }, proof: None }
        );
        let secondary = reply(429, "{\"message\":\"You have exceeded a secondary rate limit.\"}");
        assert!(matches!(
            interpret(&release(), &reply(200, RELEASE), &secondary, false),
            Listing::TryMirror { reason: MirrorReason::RateLimited { .. }, .. }
        ));
    }

    #[test]
    fn other_refusals_have_their_own_messages() {
        assert_eq!(
            interpret(&release(), &reply(401, "{\"message\":\"Bad credentials\"}"), &reply(401, "{}"), true),
            Listing::Failed(LoadError::BadToken)
        );
        assert_eq!(
            interpret(
                &release(),
                &reply(200, RELEASE),
                &reply(403, "{\"message\":\"Repository access blocked\"}"),
                false
            ),
            Listing::Failed(LoadError::Forbidden { message: "Repository access blocked".into() })
        );
    }

    #[test]
    fn network_errors_and_outages_try_the_mirror() {
        let offline = Err(NetworkError("TypeError: Failed to fetch".into()));
        assert!(matches!(
            interpret(&release(), &offline, &reply(200, TREE), false),
            Listing::TryMirror { reason: MirrorReason::Network(_), proof: None }
        ));
        assert!(matches!(
            interpret(&release(), &reply(200, RELEASE), &reply(502, "<html>"), false),
            Listing::TryMirror {
                reason: MirrorReason::Unavailable { status: 502 },
                proof: Some(ReleaseProof::Published { .. })
            }
        ));
    }

    #[test]
    fn a_truncated_tree_tries_the_mirror_and_keeps_the_proof() {
        let truncated = TREE.replace("\"truncated\": false", "\"truncated\": true");
        assert!(matches!(
            interpret(&release(), &reply(200, RELEASE), &reply(200, &truncated), false),
            Listing::TryMirror { reason: MirrorReason::Truncated, proof: Some(ReleaseProof::Published { .. }) }
        ));
    }

    #[test]
    fn unreadable_answers_are_bad_responses() {
        assert!(matches!(
            interpret(&release(), &reply(200, "<html>"), &reply(200, TREE), false),
            Listing::Failed(LoadError::BadResponse { .. })
        ));
        assert_eq!(error_message(&Reply { status: 500, body: b"oops".to_vec(), rate: None }), "HTTP 500");
    }

    #[test]
    fn the_releases_list_gives_published_tags() {
        let release =
            ReleaseRef { owner: "ana".into(), repo: "cis-92".into(), tag: "milestone-13.2".into(), url: String::new() };
        assert_eq!(releases_url(&release), "https://api.github.com/repos/ana/cis-92/releases?per_page=100");
        let body = br#"[{"tag_name": "milestone-13.2", "draft": false}, {"tag_name": "milestone-13.3", "draft": true},
            {"tag_name": "milestone-13.1", "draft": false, "name": "first"}]"#;
        let ok = Ok(Reply { status: 200, body: body.to_vec(), rate: None });
        assert_eq!(
            interpret_releases(&release, &ok, false, |s| s.to_string()),
            Ok(vec!["milestone-13.2".to_owned(), "milestone-13.1".to_owned()])
        );
        let limited = Ok(Reply {
            status: 403,
            body: br#"{"message": "API rate limit exceeded"}"#.to_vec(),
            rate: Some(RateLimit { limit: 60, remaining: 0, reset: 42 }),
        });
        assert_eq!(
            interpret_releases(&release, &limited, false, |s| format!("T{s}")),
            Err(LoadError::RateLimited { reset: Some("T42".into()), mirror: None })
        );
        let missing = Ok(Reply { status: 404, body: Vec::new(), rate: None });
        assert!(matches!(
            interpret_releases(&release, &missing, false, |s| s.to_string()),
            Err(LoadError::NotFound { .. })
        ));
        let garbage = Ok(Reply { status: 200, body: b"<html>".to_vec(), rate: None });
        assert!(matches!(
            interpret_releases(&release, &garbage, false, |s| s.to_string()),
            Err(LoadError::BadResponse { .. })
        ));
        assert_eq!(
            interpret_releases(&release, &Err(NetworkError("x".into())), false, |s| s.to_string()),
            Err(LoadError::Offline)
        );
    }
}
