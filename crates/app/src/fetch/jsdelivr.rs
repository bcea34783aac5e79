//! jsDelivr, a CDN that mirrors GitHub with CORS headers and no hourly
//! limit: the fallback when GitHub's API refuses or little of its limit is
//! left, and for the files the raw host refuses. It cannot tell a release
//! from a tag (`release-tag` becomes manual), refuses repositories over
//! 50 MB and files over 20 MB, and keeps a tag's files as it first fetched
//! them (a re-created tag may be served old: the notes say so).

use m13_rules::Entry;
use m13_rules::snapshot::limits;
use serde::Deserialize;

use crate::input::ReleaseRef;
use crate::links::{encode_path, encode_segment};

pub const LIST_HOST: &str = "data.jsdelivr.com";
pub const CDN_HOST: &str = "cdn.jsdelivr.net";

/// The flat listing of every file at the tag.
pub fn listing_url(release: &ReleaseRef) -> String {
    format!(
        "https://{LIST_HOST}/v1/packages/gh/{}/{}@{}?structure=flat",
        encode_segment(&release.owner),
        encode_segment(&release.repo),
        encode_segment(&release.tag)
    )
}

/// One file at the tag.
pub fn file_url(release: &ReleaseRef, path: &str) -> String {
    format!(
        "https://{CDN_HOST}/gh/{}/{}@{}/{}",
        encode_segment(&release.owner),
        encode_segment(&release.repo),
        encode_segment(&release.tag),
        encode_path(path)
    )
}

#[derive(Deserialize)]
struct ListingJson {
    files: Vec<FileJson>,
}

#[derive(Deserialize)]
struct FileJson {
    name: String,
    #[serde(default)]
    size: u64,
}

#[derive(Deserialize)]
struct ErrorJson {
    #[serde(default)]
    message: String,
}

/// The files of a flat listing (`{"files":[{"name":"/path","size":1}]}`),
/// without the leading `/`.
pub fn parse_listing(body: &[u8]) -> Result<Vec<Entry>, String> {
    let listing: ListingJson =
        serde_json::from_slice(body).map_err(|e| format!("the listing is not the expected JSON ({e})"))?;
    Ok(listing
        .files
        .into_iter()
        .take(limits::MAX_ENTRIES)
        .map(|f| Entry { path: f.name.trim_start_matches('/').to_owned(), size: f.size })
        .filter(|e| !e.path.is_empty())
        .collect())
}

/// Why jsDelivr refused, in its words when it gave some.
pub fn refusal(status: u16, body: &[u8]) -> String {
    let message = serde_json::from_slice::<ErrorJson>(body).ok().map(|e| e.message).filter(|m| !m.trim().is_empty());
    match (status, message) {
        (_, Some(message)) => format!("{message} (HTTP {status})"),
        (404, None) => "it has no such repository or tag (HTTP 404)".to_owned(),
        (403, None) => "it refuses this repository, probably because it is over 50 MB (HTTP 403)".to_owned(),
        (status, None) => format!("it answered HTTP {status}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LISTING: &str = r#"{
      "type": "gh",
      "name": "ana/cis-92",
      "version": "milestone-13.1",
      "default": null,
      "files": [
        {"name": "/Dockerfile", "hash": "Hx8X0Q9mZ3m0v3Pp0tqAmOIJ4Yk7T8y7m6fUQ5A5fQ0=", "size": 412},
        {"name": "/deployment/deployment.yaml", "hash": "aGVsbG8=", "size": 1290}
      ],
      "links": {"stats": "https://data.jsdelivr.com/v1/stats/packages/gh/ana/cis-92@milestone-13.1"}
    }"#;

    fn release() -> ReleaseRef {
        ReleaseRef { owner: "ana".into(), repo: "cis-92".into(), tag: "milestone-13.1".into(), url: String::new() }
    }

    #[test]
    fn builds_the_urls() {
        assert_eq!(
            listing_url(&release()),
            "https://data.jsdelivr.com/v1/packages/gh/ana/cis-92@milestone-13.1?structure=flat"
        );
        assert_eq!(
            file_url(&release(), "deployment/config.yaml"),
            "https://cdn.jsdelivr.net/gh/ana/cis-92@milestone-13.1/deployment/config.yaml"
        );
    }

    #[test]
    fn parses_a_flat_listing() {
        assert_eq!(
            parse_listing(LISTING.as_bytes()),
            Ok(vec![
                Entry { path: "Dockerfile".into(), size: 412 },
                Entry { path: "deployment/deployment.yaml".into(), size: 1290 }
            ])
        );
        assert!(parse_listing(b"[]").is_err());
    }

    #[test]
    fn explains_refusals() {
        assert_eq!(
            refusal(403, br#"{"status":403,"message":"Package size exceeded the configured limit of 50 MB."}"#),
            "Package size exceeded the configured limit of 50 MB. (HTTP 403)"
        );
        assert_eq!(refusal(404, b""), "it has no such repository or tag (HTTP 404)");
        assert_eq!(refusal(503, b"<html>"), "it answered HTTP 503");
    }
}
