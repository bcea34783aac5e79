//! The comparison view's state and its one reducer.

use std::rc::Rc;

use m13_app::checker::protocol::{Compared, ViewWork};
use m13_app::fetch::rate::RateLimit;
use m13_app::input::{Input, ReleaseRef, classify};
use m13_app::state::Progress;
use yew::Reducible;

#[derive(Debug, Clone, PartialEq)]
pub enum Earlier {
    Asking,
    Listed(Vec<String>),
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Comparing {
    Idle,
    Running { tag: String, progress: Option<Progress> },
    Done(Rc<Compared>),
    Failed { tag: String, message: String },
}

/// A job for the checker; the app sends each once.
#[derive(Debug, Clone)]
pub struct Send {
    pub job: u32,
    pub work: ViewWork,
}

#[derive(Debug, Clone)]
pub struct CompareState {
    /// The release to compare, or why the address names none.
    pub release: Result<ReleaseRef, String>,
    pub earlier: Earlier,
    pub comparing: Comparing,
    pub token: String,
    pub rate: Option<RateLimit>,
    pub checker_ready: bool,
    pub outbox: Vec<Send>,
    pub notice: Option<String>,
    /// The job whose answer is awaited: the list, then each comparison.
    awaited: Option<u32>,
    next_job: u32,
}

#[derive(Debug, Clone)]
pub enum Action {
    /// The view opened on `url`, with the session's token and rate window:
    /// the earlier releases are asked for at once.
    Open {
        url: String,
        token: String,
        rate: Option<RateLimit>,
    },
    /// Compare with `tag`; `remembered` are the browser's records of the
    /// release and of that tag's release.
    Compare {
        tag: String,
        remembered: (Option<String>, Option<String>),
    },
    SetToken(String),
    CheckerReady,
    Progress {
        job: u32,
        progress: Progress,
    },
    Rate(RateLimit),
    Listed {
        job: u32,
        tags: Vec<String>,
    },
    Compared {
        job: u32,
        compared: Rc<Compared>,
    },
    Failed {
        job: u32,
        message: String,
    },
    Notice(Option<String>),
}

impl CompareState {
    pub fn new() -> CompareState {
        CompareState {
            release: Err(String::new()),
            earlier: Earlier::Asking,
            comparing: Comparing::Idle,
            token: String::new(),
            rate: None,
            checker_ready: false,
            outbox: Vec::new(),
            notice: None,
            awaited: None,
            next_job: 0,
        }
    }

    pub fn apply(mut self, action: Action) -> CompareState {
        match action {
            Action::Open { url, token, rate } => {
                self.token = token;
                self.rate = rate;
                self.release = match classify(&url) {
                    Input::Release(release) => Ok(release),
                    Input::NotRelease { explanation, .. } => Err(explanation),
                    Input::NotGitHub(why) => Err(why),
                    Input::Empty => Err("The address names no release to compare (?compare=URL).".to_owned()),
                };
                match self.release.clone() {
                    Ok(release) => self.send(ViewWork::EarlierReleases { release, token: self.token.clone() }),
                    Err(why) => self.earlier = Earlier::Failed(why),
                }
            }
            Action::Compare { tag, remembered: (remembered, remembered_earlier) } => {
                if let Ok(release) = self.release.clone() {
                    self.comparing = Comparing::Running { tag: tag.clone(), progress: None };
                    self.send(ViewWork::Compare {
                        release,
                        earlier_tag: tag,
                        token: self.token.clone(),
                        rate: self.rate,
                        remembered,
                        remembered_earlier,
                    });
                }
            }
            Action::SetToken(token) => self.token = token.trim().to_owned(),
            Action::CheckerReady => self.checker_ready = true,
            Action::Progress { job, progress } => {
                if self.awaited == Some(job)
                    && let Comparing::Running { progress: shown, .. } = &mut self.comparing
                {
                    *shown = Some(progress);
                }
            }
            Action::Rate(rate) => self.rate = Some(rate),
            Action::Listed { job, tags } if self.awaited == Some(job) => {
                self.awaited = None;
                self.earlier = Earlier::Listed(tags);
            }
            Action::Compared { job, compared } if self.awaited == Some(job) => {
                self.awaited = None;
                self.comparing = Comparing::Done(compared);
            }
            Action::Failed { job, message } if self.awaited == Some(job) => {
                self.awaited = None;
                match &self.comparing {
                    Comparing::Running { tag, .. } => {
                        self.comparing = Comparing::Failed { tag: tag.clone(), message };
                    }
                    _ => self.earlier = Earlier::Failed(message),
                }
            }
            Action::Listed { .. } | Action::Compared { .. } | Action::Failed { .. } => {}
            Action::Notice(notice) => self.notice = notice,
        }
        self
    }

    fn send(&mut self, work: ViewWork) {
        self.next_job += 1;
        self.awaited = Some(self.next_job);
        self.outbox.push(Send { job: self.next_job, work });
    }

    pub fn is_busy(&self) -> bool {
        self.awaited.is_some()
    }
}

impl Default for CompareState {
    fn default() -> CompareState {
        CompareState::new()
    }
}

impl Reducible for CompareState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Rc::unwrap_or_clone(self).apply(action))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic, clippy::indexing_slicing, reason = "tests")]

    use super::*;

    const URL: &str = "https://github.com/ana/cis-92/releases/tag/milestone-13.3";

    fn opened() -> CompareState {
        CompareState::new().apply(Action::Open { url: URL.into(), token: String::new(), rate: None })
    }

    #[test]
    fn opening_asks_for_the_earlier_releases() {
        let state = opened();
        assert!(
            matches!(&state.outbox[0].work, ViewWork::EarlierReleases { release, .. } if release.tag == "milestone-13.3")
        );
        assert!(state.is_busy());
        let state = state.apply(Action::Listed { job: 1, tags: vec!["milestone-13.2".into()] });
        assert_eq!(state.earlier, Earlier::Listed(vec!["milestone-13.2".into()]));
        assert!(!state.is_busy());
    }

    #[test]
    fn comparing_sends_both_records_and_keeps_the_answer() {
        let state = opened().apply(Action::Listed { job: 1, tags: vec!["milestone-13.2".into()] });
        let state =
            state.apply(Action::Compare { tag: "milestone-13.2".into(), remembered: (Some("{}".into()), None) });
        let ViewWork::Compare { earlier_tag, remembered, remembered_earlier, .. } = &state.outbox[1].work else {
            panic!("not a comparison");
        };
        assert_eq!(
            (earlier_tag.as_str(), remembered.as_deref(), remembered_earlier.as_deref()),
            ("milestone-13.2", Some("{}"), None)
        );
        let failed = state.clone().apply(Action::Failed { job: 2, message: "404".into() });
        assert_eq!(failed.comparing, Comparing::Failed { tag: "milestone-13.2".into(), message: "404".into() });
        // The list stays as it was.
        assert_eq!(failed.earlier, Earlier::Listed(vec!["milestone-13.2".into()]));
    }

    #[test]
    fn an_address_that_names_no_release_says_why() {
        let state = CompareState::new().apply(Action::Open {
            url: "https://github.com/ana/cis-92/tree/main".into(),
            token: String::new(),
            rate: None,
        });
        assert!(matches!(&state.earlier, Earlier::Failed(why) if why.contains("main branch")));
        assert!(state.outbox.is_empty());
    }
}
