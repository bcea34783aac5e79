//! The class view's state and its one reducer, as the single-release page
//! has its own: plain data, an [`Action`] per thing that can happen, and no
//! web API, so `cargo test` covers the scheduling natively.
//!
//! A few releases are checked at a time ([`PARALLEL`]); each check by URL
//! costs two of GitHub's API calls without a token, so once the calls left
//! cannot cover another one (keeping the page's usual reserve back), the
//! rest of the class is read from the jsDelivr mirror and those rows are
//! marked.

use std::rc::Rc;

use m13_app::fetch::rate::{CALLS_PER_CHECK, RESERVE, RateLimit};
use m13_app::input::{Input, ReleaseRef, classify};
use m13_app::state::{Checked, Progress, ZipFile};
use m13_report::ClassRow;
use m13_rules::SourceKind;
use m13_rules::roster;
use yew::Reducible;

/// How many checks run at once: enough to overlap one release's downloads
/// with another's rules, few enough not to look like a burst to GitHub.
pub const PARALLEL: usize = 3;

/// A class list longer than this is cut (a shared `?urls=` link could hold
/// thousands), with a notice.
pub const MAX_ROWS: usize = 300;

/// What a row checks.
#[derive(Debug, Clone)]
pub enum Source {
    Release(ReleaseRef),
    Zip {
        name: String,
        file: ZipFile,
    },
    /// A line that names no release: why.
    Unusable {
        text: String,
        why: String,
    },
}

impl Source {
    /// The row's `data-source`: the release URL as given, the zip's name.
    pub fn data_source(&self) -> &str {
        match self {
            Source::Release(release) => &release.url,
            Source::Zip { name, .. } => name,
            Source::Unusable { text, .. } => text,
        }
    }
}

#[derive(Debug, Clone)]
pub enum RowState {
    Waiting,
    /// With the checker as job `job`; `api` when it may spend API calls.
    Running {
        job: u32,
        progress: Option<Progress>,
        api: bool,
    },
    Checked(Rc<Checked>),
    Failed(String),
}

#[derive(Debug, Clone)]
pub struct Row {
    /// A student's name from the list, else the URL or the file name.
    pub label: String,
    pub source: Source,
    pub state: RowState,
    /// Asked of (or served by) the jsDelivr mirror.
    pub mirrored: bool,
}

impl Row {
    /// The row as the exports write it; a row not finished yet is "not
    /// checked" with why.
    pub fn class_row(&self) -> ClassRow {
        let mut row = match &self.state {
            RowState::Checked(checked) => ClassRow::checked(&self.label, &checked.findings),
            RowState::Failed(why) => ClassRow::not_checked(&self.label, why),
            RowState::Waiting | RowState::Running { .. } => ClassRow::not_checked(&self.label, "still being checked"),
        };
        row.mirrored = self.mirrored;
        row
    }
}

/// One job for the checker: row `row` as job `job`.
#[derive(Debug, Clone)]
pub struct Send {
    pub job: u32,
    pub row: usize,
    pub mirror: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ClassState {
    /// The text box: one release a line, or "Name, URL".
    pub list: String,
    pub rows: Vec<Row>,
    pub rate: Option<RateLimit>,
    /// The session's GitHub token, if the user gave one.
    pub token: String,
    pub checker_ready: bool,
    /// Every job handed out, in order; the app sends each once (it keeps
    /// how many it has sent), so two actions between two renders lose none.
    pub outbox: Vec<Send>,
    /// Raised to replace the checker: it stopped, it was stuck, or a new
    /// list makes the jobs it holds pointless.
    pub checker_restarts: u32,
    /// Raised by every word from the checker about a running row: what the
    /// watchdog waits on (see [`Action::Stalled`]).
    pub words: u32,
    /// What the user did is done but for this (a notice goes after a few
    /// seconds).
    pub notice: Option<String>,
    /// What the table cannot show (a list cut at [`MAX_ROWS`], an empty
    /// list): it stays until the next list.
    pub warning: Option<String>,
    next_job: u32,
}

#[derive(Debug, Clone)]
pub enum Action {
    Restore {
        token: String,
        rate: Option<RateLimit>,
    },
    Edit(String),
    /// Check every line of the text box. `now` is the clock in seconds.
    CheckList {
        now: u64,
    },
    CheckZips {
        files: Vec<(String, ZipFile)>,
        now: u64,
    },
    SetToken(String),
    CheckerReady,
    Progress {
        job: u32,
        progress: Progress,
    },
    Rate(RateLimit),
    Loaded {
        job: u32,
        checked: Rc<Checked>,
        now: u64,
    },
    /// Job `job` failed; `checker_stopped` when the checker itself did, so
    /// every job it held is lost.
    Failed {
        job: u32,
        message: String,
        checker_stopped: bool,
        now: u64,
    },
    /// A sign of life from the checker about job `job`.
    Alive {
        job: u32,
    },
    /// The watchdog ran out with `words` unchanged: the checker has been
    /// busy for `seconds` without a word, so it is replaced and the rows it
    /// held fail.
    Stalled {
        words: u32,
        seconds: u32,
        now: u64,
    },
    Notice(Option<String>),
}

impl ClassState {
    pub fn apply(mut self, action: Action) -> ClassState {
        match action {
            Action::Restore { token, rate } => {
                self.token = token;
                self.rate = rate;
            }
            Action::Edit(list) => self.list = list,
            Action::CheckList { now } => {
                self.drop_running();
                let entries = roster::parse(&self.list);
                self.warning = (entries.len() > MAX_ROWS)
                    .then(|| format!("The list has {} lines: the first {MAX_ROWS} are checked.", entries.len()));
                self.rows =
                    entries.into_iter().take(MAX_ROWS).map(|entry| row_of(entry.label(), &entry.source)).collect();
                if self.rows.is_empty() {
                    self.warning =
                        Some("The list is empty: paste one release URL a line, or \"Name, URL\".".to_owned());
                }
                self.schedule(now);
            }
            Action::CheckZips { files, now } => {
                self.drop_running();
                self.warning = (files.len() > MAX_ROWS)
                    .then(|| format!("{} files were chosen: the first {MAX_ROWS} are checked.", files.len()));
                self.rows = files
                    .into_iter()
                    .take(MAX_ROWS)
                    .map(|(name, file)| Row {
                        label: name.clone(),
                        source: Source::Zip { name, file },
                        state: RowState::Waiting,
                        mirrored: false,
                    })
                    .collect();
                self.schedule(now);
            }
            Action::SetToken(token) => {
                // The window is the token's or the address's: another one now.
                if token.trim() != self.token {
                    self.rate = None;
                }
                self.token = token.trim().to_owned();
            }
            Action::CheckerReady => self.checker_ready = true,
            Action::Progress { job, progress } => {
                if let Some(RowState::Running { progress: shown, .. }) = self.row_of_job(job).map(|row| &mut row.state)
                {
                    *shown = Some(progress);
                    self.words += 1;
                }
            }
            Action::Alive { job } => {
                if self.row_of_job(job).is_some() {
                    self.words += 1;
                }
            }
            // Replies of jobs running side by side come in any order: within
            // one window, the fewest calls left is the truth.
            Action::Rate(rate) => {
                self.rate = match self.rate {
                    Some(known) if known.reset == rate.reset && known.remaining < rate.remaining => Some(known),
                    _ => Some(rate),
                }
            }
            Action::Loaded { job, checked, now } => {
                self.words += 1;
                if let Some(row) = self.row_of_job(job) {
                    row.mirrored = checked.source == SourceKind::Jsdelivr.describe();
                    row.state = RowState::Checked(checked);
                }
                self.schedule(now);
            }
            Action::Failed { job, message, checker_stopped, now } => {
                self.words += 1;
                let held = self.row_of_job(job).is_some();
                if checker_stopped && held {
                    // Every job the checker held went with it (the client
                    // reports each); it is replaced once.
                    self.fail_running(&message);
                    self.checker_ready = false;
                    self.checker_restarts += 1;
                } else if let Some(row) = self.row_of_job(job) {
                    row.state = RowState::Failed(message);
                }
                self.schedule(now);
            }
            Action::Stalled { words, seconds, now } => {
                if words == self.words && self.is_running() {
                    self.fail_running(&format!(
                        "The check took longer than {seconds} s and was stopped: the release may hold something too large to check in a browser. Try the CLI."
                    ));
                    self.checker_ready = false;
                    self.checker_restarts += 1;
                    self.schedule(now);
                }
            }
            Action::Notice(notice) => self.notice = notice,
        }
        self
    }

    fn fail_running(&mut self, message: &str) {
        for row in &mut self.rows {
            if matches!(row.state, RowState::Running { .. }) {
                row.state = RowState::Failed(message.to_owned());
            }
        }
    }

    /// A new list: the checker's jobs for the old one would still spend
    /// API calls and hold its place, so it is replaced.
    fn drop_running(&mut self) {
        if self.is_running() {
            self.checker_ready = false;
            self.checker_restarts += 1;
        }
    }

    /// True while a row is with the checker (what the watchdog watches).
    pub fn is_running(&self) -> bool {
        self.rows.iter().any(|r| matches!(r.state, RowState::Running { .. }))
    }

    fn row_of_job(&mut self, job: u32) -> Option<&mut Row> {
        self.rows.iter_mut().find(|row| matches!(row.state, RowState::Running { job: j, .. } if j == job))
    }

    /// Hands out waiting rows while fewer than [`PARALLEL`] run.
    fn schedule(&mut self, now: u64) {
        let mut running = self.rows.iter().filter(|r| matches!(r.state, RowState::Running { .. })).count();
        let mut api_in_flight =
            self.rows.iter().filter(|r| matches!(r.state, RowState::Running { api: true, .. })).count() as u32;
        for index in 0..self.rows.len() {
            if running >= PARALLEL {
                break;
            }
            let mirror = self.needs_mirror(api_in_flight, now);
            let Some(row) = self.rows.get_mut(index) else { break };
            if !matches!(row.state, RowState::Waiting) {
                continue;
            }
            let (api, mirror) = match &row.source {
                Source::Unusable { why, .. } => {
                    row.state = RowState::Failed(why.clone());
                    continue;
                }
                Source::Release(_) => (!mirror, mirror),
                Source::Zip { .. } => (false, false),
            };
            self.next_job += 1;
            let job = self.next_job;
            row.state = RowState::Running { job, progress: None, api };
            row.mirrored = mirror;
            api_in_flight += u32::from(api);
            running += 1;
            self.outbox.push(Send { job, row: index, mirror });
        }
    }

    /// True when the calls left, less those the running checks may still
    /// spend, cannot cover one more check and the reserve.
    fn needs_mirror(&self, api_in_flight: u32, now: u64) -> bool {
        let Some(rate) = self.rate.filter(|rate| rate.reset > now) else { return false };
        if !self.token.is_empty() {
            return false;
        }
        let left = rate.remaining.saturating_sub(CALLS_PER_CHECK * api_in_flight);
        left < CALLS_PER_CHECK + RESERVE
    }

    /// (finished, all): finished rows are checked or failed.
    pub fn progress(&self) -> (usize, usize) {
        let done = self.rows.iter().filter(|r| matches!(r.state, RowState::Checked(_) | RowState::Failed(_))).count();
        (done, self.rows.len())
    }

    pub fn class_rows(&self) -> Vec<ClassRow> {
        self.rows.iter().map(Row::class_row).collect()
    }
}

/// A row for one line of the list.
fn row_of(label: &str, text: &str) -> Row {
    let source = match classify(text) {
        Input::Release(release) => Source::Release(release),
        Input::NotRelease { explanation, suggestion } => Source::Unusable {
            text: text.to_owned(),
            why: match suggestion {
                Some(url) => format!("{explanation} Its release would be {url}."),
                None => explanation,
            },
        },
        Input::NotGitHub(why) => Source::Unusable { text: text.to_owned(), why },
        Input::Empty => Source::Unusable { text: text.to_owned(), why: "An empty line.".to_owned() },
    };
    Row { label: label.to_owned(), source, state: RowState::Waiting, mirrored: false }
}

impl Reducible for ClassState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Rc::unwrap_or_clone(self).apply(action))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing, reason = "tests")]

    use super::*;

    const NOW: u64 = 1_000;

    fn url(n: usize) -> String {
        format!("https://github.com/student{n}/cis-92/releases/tag/milestone-13.1")
    }

    fn class_of(n: usize, rate: Option<RateLimit>) -> ClassState {
        let list: Vec<String> = (0..n).map(|i| format!("Student {i}, {}", url(i))).collect();
        let state = ClassState::default().apply(Action::Restore { token: String::new(), rate });
        state.apply(Action::Edit(list.join("\n"))).apply(Action::CheckList { now: NOW })
    }

    fn running(state: &ClassState) -> Vec<usize> {
        state.outbox.iter().map(|send| send.row).collect()
    }

    #[test]
    fn a_few_run_at_once_in_list_order() {
        let state = class_of(5, None);
        assert_eq!(state.rows.len(), 5);
        assert_eq!(running(&state), [0, 1, 2]);
        assert_eq!(state.rows[0].label, "Student 0");
        assert_eq!(state.rows[0].source.data_source(), url(0));
        assert_eq!(state.progress(), (0, 5));
    }

    #[test]
    fn a_finished_row_starts_the_next() {
        let state = class_of(5, None);
        let first = state.outbox[0].job;
        let state = state.apply(Action::Failed { job: first, message: "404".into(), checker_stopped: false, now: NOW });
        assert_eq!(running(&state), [0, 1, 2, 3]);
        assert!(matches!(&state.rows[0].state, RowState::Failed(m) if m == "404"));
        assert_eq!(state.progress(), (1, 5));
        // A reply about a job no row holds (an earlier list's) changes nothing.
        let state = state.apply(Action::Failed { job: 999, message: "x".into(), checker_stopped: false, now: NOW });
        assert_eq!(running(&state), [0, 1, 2, 3]);
    }

    #[test]
    fn the_mirror_takes_over_when_the_calls_left_cannot_cover_another() {
        // 9 left: after two checks (4 calls) 5 are left, less than one more
        // check and the reserve of 4, so the third goes to the mirror.
        let rate = RateLimit { limit: 60, remaining: 9, reset: NOW + 600 };
        let state = class_of(4, Some(rate));
        let mirrors: Vec<bool> = state.outbox.iter().map(|s| s.mirror).collect();
        assert_eq!(mirrors, [false, false, true]);
        assert!(state.rows[2].mirrored && !state.rows[0].mirrored);
        assert!(state.class_rows()[2].mirrored);
    }

    #[test]
    fn a_token_or_a_reset_window_never_needs_the_mirror() {
        let spent = RateLimit { limit: 60, remaining: 0, reset: NOW + 600 };
        let state = class_of(3, Some(RateLimit { reset: NOW - 1, ..spent }));
        assert!(state.outbox.iter().all(|s| !s.mirror));
        let state = ClassState::default()
            .apply(Action::Restore { token: "ghp_x".into(), rate: Some(spent) })
            .apply(Action::Edit(url(1)))
            .apply(Action::CheckList { now: NOW });
        assert!(state.outbox.iter().all(|s| !s.mirror));
    }

    #[test]
    fn a_line_that_is_no_release_fails_at_once_with_why() {
        let state = ClassState::default()
            .apply(Action::Edit(format!("Ana, https://github.com/ana/cis-92/tree/main\nnot a link\n{}", url(2))))
            .apply(Action::CheckList { now: NOW });
        assert!(matches!(&state.rows[0].state, RowState::Failed(m) if m.contains("main branch")));
        assert!(matches!(&state.rows[1].state, RowState::Failed(_)));
        assert_eq!(running(&state), [2]);
        assert_eq!(state.rows[0].label, "Ana");
    }

    #[test]
    fn a_stopped_checker_fails_what_it_held_and_the_rest_go_on() {
        let state = class_of(4, None);
        let state = state.apply(Action::Failed { job: 1, message: "stopped".into(), checker_stopped: true, now: NOW });
        assert_eq!(state.checker_restarts, 1);
        assert_eq!(state.rows.iter().filter(|r| matches!(r.state, RowState::Failed(_))).count(), 3);
        assert_eq!(running(&state), [0, 1, 2, 3]);
    }

    #[test]
    fn a_stuck_checker_is_replaced_and_its_rows_fail() {
        let state = class_of(4, None);
        let words = state.words;
        let alive = state.apply(Action::Alive { job: 1 });
        // A word since the timer started: not stuck.
        let still = alive.clone().apply(Action::Stalled { words, seconds: 20, now: NOW });
        assert_eq!(still.checker_restarts, 0);
        let stuck = alive.clone().apply(Action::Stalled { words: alive.words, seconds: 20, now: NOW });
        assert_eq!(stuck.checker_restarts, 1);
        assert!(matches!(&stuck.rows[0].state, RowState::Failed(m) if m.contains("longer than 20 s")));
        assert_eq!(running(&stuck), [0, 1, 2, 3]);
    }

    #[test]
    fn a_new_list_replaces_the_checker_of_the_old_one() {
        let state = class_of(4, None);
        let state = state.apply(Action::Edit(url(9))).apply(Action::CheckList { now: NOW });
        assert_eq!(state.checker_restarts, 1);
        assert_eq!(state.rows.len(), 1);
    }

    #[test]
    fn rate_replies_in_any_order_keep_the_fewest_left() {
        let rate = RateLimit { limit: 60, remaining: 40, reset: NOW + 600 };
        let state =
            class_of(3, None).apply(Action::Rate(rate)).apply(Action::Rate(RateLimit { remaining: 44, ..rate }));
        assert_eq!(state.rate.map(|r| r.remaining), Some(40));
        let next = state.apply(Action::Rate(RateLimit { remaining: 60, reset: NOW + 4000, ..rate }));
        assert_eq!(next.rate.map(|r| r.remaining), Some(60));
        assert_eq!(next.apply(Action::SetToken("ghp_x".into())).rate, None);
    }

    #[test]
    fn an_empty_or_huge_list_says_so() {
        let state = ClassState::default().apply(Action::CheckList { now: NOW });
        assert!(state.warning.as_deref().unwrap_or_default().contains("empty"));
        let state = class_of(MAX_ROWS + 5, None);
        assert_eq!(state.rows.len(), MAX_ROWS);
        assert!(state.warning.as_deref().unwrap_or_default().contains("first 300"));
    }
}
