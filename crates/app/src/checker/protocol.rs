//! What the page and the checker say to each other through `postMessage`:
//! serde values in postcard's compact binary form (a `Uint8Array`). The
//! page decodes every reply, and postcard's decoder costs its first-load
//! wasm a fraction of serde_json's. A dropped zip travels beside the
//! request, as the browser's `File` (see [`super::client`]).

use serde::{Deserialize, Serialize};

use crate::fetch::error::LoadError;
use crate::fetch::rate::RateLimit;
use crate::input::ReleaseRef;
use crate::links::IssueButton;
use crate::state::{Checked, Progress};
use m13_rules::{RuleId, Status};

/// How often the checker says it is alive while it works on a job. It can
/// only when it is free (waiting for the network or a file), so the page's
/// watchdog, which allows several of these, stops a checker stuck
/// computing and spares one waiting for a slow download.
pub const ALIVE_EVERY_MS: u32 = 2_000;

/// One job for the checker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// The page's job id; every reply about the job carries it.
    pub id: u32,
    pub job: Work,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Work {
    /// Check a release by URL. `remembered` is the record the browser kept
    /// from an earlier check (the checker cannot read local storage), unless
    /// the user asked to check again.
    Release {
        release: ReleaseRef,
        /// The user's token, if any: it goes to api.github.com only.
        token: String,
        rate: Option<RateLimit>,
        remembered: Option<String>,
        /// Read the files from the jsDelivr mirror, sparing GitHub's API:
        /// the class view asks when the calls left cannot cover the rest
        /// of the class.
        mirror: bool,
    },
    /// Check the zip file sent beside the request.
    Zip { name: String, posted_url: Option<String> },
    /// Check the release built into the checker.
    Sample,
    /// A job of a view loaded on demand (crates/views), as the bytes of a
    /// [`ViewWork`]: the page never sends one, and this way its first load
    /// carries no code to write them (nor to read the [`ViewReply`]).
    ForView(Vec<u8>),
}

/// What the on-demand views ask of the checker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ViewWork {
    /// The repository's earlier milestone-13 releases (one API call).
    EarlierReleases { release: ReleaseRef, token: String },
    /// `release` compared with its repository's `earlier_tag`; each from its
    /// remembered record when the browser kept one.
    Compare {
        release: ReleaseRef,
        earlier_tag: String,
        token: String,
        rate: Option<RateLimit>,
        remembered: Option<String>,
        remembered_earlier: Option<String>,
    },
}

/// The checker's answer to a [`ViewWork`], and the records to keep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewAnswer {
    pub reply: ViewReply,
    pub remember: Vec<Remember>,
}

/// What the checker found for a [`ViewWork`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ViewReply {
    /// Earlier milestone-13 tags with a release, the latest first.
    Earlier {
        tags: Vec<String>,
    },
    Compared(Box<Compared>),
}

/// A release compared with an earlier one, ready to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compared {
    /// The later release's URL, as posted.
    pub later: String,
    /// The earlier release's tag.
    pub earlier: String,
    /// `2 fixed, 1 broken`, or `no verdict changed`.
    pub summary: String,
    /// Every rule whose status changed or still fails, in report order.
    pub rules: Vec<ComparedRule>,
    /// The files the rules read in either release that differ.
    pub files: Vec<ComparedFile>,
    /// The later release's review, with a "Since" section.
    pub markdown: String,
    /// That review as a new issue on the repository.
    pub issue: Option<IssueButton>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComparedRule {
    pub id: RuleId,
    pub title: String,
    pub before: Status,
    pub after: Status,
    /// `fixed`, `broken`, `still-failing` or `changed`.
    pub change: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComparedFile {
    pub path: String,
    /// `added`, `removed` or `modified`.
    pub change: String,
}

impl ViewWork {
    pub fn encode(&self) -> Vec<u8> {
        encode(self)
    }

    pub fn decode(bytes: &[u8]) -> Result<ViewWork, String> {
        postcard::from_bytes(bytes).map_err(|e| e.to_string())
    }
}

impl ViewAnswer {
    pub fn encode(&self) -> Vec<u8> {
        encode(self)
    }

    pub fn decode(bytes: &[u8]) -> Result<ViewAnswer, String> {
        postcard::from_bytes(bytes).map_err(|e| e.to_string())
    }
}

/// What the checker tells the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The checker has started and takes requests.
    Ready,
    Progress {
        id: u32,
        progress: Progress,
    },
    /// GitHub's rate-limit headers, as they come.
    Rate(RateLimit),
    Loaded {
        id: u32,
        checked: Box<Checked>,
        /// A record for the page to keep, so the same release opens again
        /// without calling GitHub.
        remember: Option<Remember>,
    },
    Failed {
        id: u32,
        error: LoadError,
    },
    /// Sent every [`ALIVE_EVERY_MS`] while job `id` runs and the checker
    /// is free to.
    Alive {
        id: u32,
    },
    /// The answer to a [`Work::ForView`]: a [`ViewAnswer`]'s bytes.
    ForView {
        id: u32,
        payload: Vec<u8>,
    },
}

/// A record to keep in local storage under `key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remember {
    pub key: String,
    pub record: String,
}

impl Request {
    pub fn encode(&self) -> Vec<u8> {
        encode(self)
    }

    pub fn decode(bytes: &[u8]) -> Result<Request, String> {
        postcard::from_bytes(bytes).map_err(|e| e.to_string())
    }
}

impl Reply {
    pub fn encode(&self) -> Vec<u8> {
        encode(self)
    }

    pub fn decode(bytes: &[u8]) -> Result<Reply, String> {
        postcard::from_bytes(bytes).map_err(|e| e.to_string())
    }
}

/// Encoding these types cannot fail (no maps with non-string keys, no
/// unknown lengths); an empty message would fail to decode, with a message.
fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    postcard::to_allocvec(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checker::run::checked;

    #[test]
    fn a_finished_check_reads_back_unchanged() {
        let mut shown = checked(crate::sample::report(), "sample".into(), "sample");
        shown.notes.push("a note".into());
        let reply = Reply::Loaded {
            id: 7,
            checked: Box::new(shown),
            remember: Some(Remember { key: "k".into(), record: "{}".into() }),
        };
        assert_eq!(Reply::decode(&reply.encode()), Ok(reply));
    }

    #[test]
    fn every_request_and_error_reads_back_unchanged() {
        let release = ReleaseRef {
            owner: "ana".into(),
            repo: "cis-92".into(),
            tag: "milestone-13.1".into(),
            url: "https://github.com/ana/cis-92/releases/tag/milestone-13.1".into(),
        };
        let rate = RateLimit { limit: 60, remaining: 2, reset: 1_700_000_000 };
        for job in [
            Work::Sample,
            Work::Zip { name: "r.zip".into(), posted_url: None },
            Work::Release {
                release,
                token: "ghp_x".into(),
                rate: Some(rate),
                remembered: Some("{}".into()),
                mirror: true,
            },
        ] {
            let request = Request { id: 3, job };
            assert_eq!(Request::decode(&request.encode()), Ok(request));
        }
        for reply in [
            Reply::Ready,
            Reply::Rate(rate),
            Reply::Failed { id: 1, error: LoadError::RateLimited { reset: Some("16:05".into()), mirror: None } },
            Reply::Failed { id: 2, error: LoadError::TimedOut { seconds: 20 } },
            Reply::Alive { id: 4 },
            Reply::ForView { id: 5, payload: vec![1, 2, 255] },
        ] {
            assert_eq!(Reply::decode(&reply.encode()), Ok(reply));
        }
    }

    #[test]
    fn a_view_job_and_its_answer_read_back_unchanged() {
        let release = ReleaseRef { owner: "a".into(), repo: "r".into(), tag: "milestone-13.2".into(), url: "u".into() };
        for work in [
            ViewWork::EarlierReleases { release: release.clone(), token: String::new() },
            ViewWork::Compare {
                release,
                earlier_tag: "milestone-13.1".into(),
                token: "t".into(),
                rate: None,
                remembered: Some("{}".into()),
                remembered_earlier: None,
            },
        ] {
            assert_eq!(ViewWork::decode(&work.encode()), Ok(work));
        }
        let compared = Compared {
            later: "u".into(),
            earlier: "milestone-13.1".into(),
            summary: "1 fixed".into(),
            rules: vec![ComparedRule {
                id: RuleId::PodRemoved,
                title: "t".into(),
                before: Status::Fail,
                after: Status::Pass,
                change: "fixed".into(),
            }],
            files: vec![ComparedFile { path: "deployment/pod.yaml".into(), change: "removed".into() }],
            markdown: "## x".into(),
            issue: None,
        };
        let remember = vec![Remember { key: "k".into(), record: "{}".into() }];
        for reply in
            [ViewReply::Earlier { tags: vec!["milestone-13.1".into()] }, ViewReply::Compared(Box::new(compared))]
        {
            let answer = ViewAnswer { reply, remember: remember.clone() };
            assert_eq!(ViewAnswer::decode(&answer.encode()), Ok(answer));
        }
        assert!(ViewWork::decode(&[9, 9]).is_err());
    }

    #[test]
    fn ready_is_one_zero_byte() {
        // The browser tests' stuck checker says it is ready with these bytes.
        assert_eq!(Reply::Ready.encode(), [0]);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(Reply::decode(&[]).is_err());
        assert!(Reply::decode(&[0xff; 9]).is_err());
        assert!(Request::decode(b"{\"id\": 1}").is_err());
    }
}
