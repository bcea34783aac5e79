//! The page's state and its one reducer, as in Yew's function_todomvc:
//! plain data, an [`Action`] per thing that can happen, every transition in
//! one `match`, and no web API, so `cargo test` covers it natively.
//!
//! Work (fetching, reading a zip, storage) is asked for by setting
//! [`State::job`]; the app hands it to the checker (a Web Worker, see
//! [`crate::checker`]) and the checker's replies come back as actions that
//! carry the job's id, so the answer to an old request never overwrites a
//! newer one.

use std::collections::BTreeSet;
use std::fmt;
use std::rc::Rc;

use m13_rules::graph::Graph;
use m13_rules::procedure::Step;
use m13_rules::{Counts, Finding, Kind, RuleId, Status};
use serde::{Deserialize, Serialize};
use yew::Reducible;

use crate::fetch::error::LoadError;
use crate::fetch::rate::RateLimit;
use crate::graph_layout::Picture;
use crate::input::{Input, ReleaseRef, classify};
use crate::links::{BlobBase, IssueButton};

/// What the app was asked to check.
#[derive(Debug, Clone)]
pub enum Job {
    /// A release by URL. `fresh` skips the browser's remembered copy.
    Release { release: ReleaseRef, fresh: bool },
    /// A dropped or picked zip. `posted_url` is the release URL in the
    /// field, if any, so the tag is judged too.
    Zip { name: String, file: ZipFile, posted_url: Option<String> },
    /// The release built into the app.
    Sample,
}

/// A dropped zip, handed to the checker as the browser's `File`: the page
/// itself never copies its bytes (50 MB for a release with a committed
/// virtualenv), the checker reads them in its own memory. Empty only in
/// native tests, where there is no browser to make a `File`.
#[derive(Clone, Default)]
pub struct ZipFile(Option<web_sys::File>);

impl ZipFile {
    pub fn new(file: web_sys::File) -> ZipFile {
        ZipFile(Some(file))
    }

    pub fn file(&self) -> Option<&web_sys::File> {
        self.0.as_ref()
    }
}

impl fmt::Debug for ZipFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ZipFile(..)")
    }
}

impl Job {
    /// The step a job starts with.
    fn first_phase(&self) -> Phase {
        match self {
            Job::Release { .. } => Phase::Listing,
            Job::Zip { .. } => Phase::Reading,
            Job::Sample => Phase::Checking,
        }
    }
}

/// A job and its id; two jobs are equal when their ids are, which is what
/// the effect that runs them is keyed on (comparing zip bytes would be slow).
#[derive(Debug, Clone)]
pub struct Pending {
    pub id: u32,
    pub job: Job,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Pending) -> bool {
        self.id == other.id
    }
}

/// Which step of a check is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    /// Asking GitHub's API for the release and its file list.
    Listing,
    /// Asking the jsDelivr mirror for the file list.
    MirrorListing,
    /// Downloading the files the rules read.
    Downloading,
    /// Reading a zip file.
    Reading,
    /// Running the rules.
    Checking,
}

impl Phase {
    pub fn describe(self) -> &'static str {
        match self {
            Phase::Listing => "Asking GitHub for the release and its file list",
            Phase::MirrorListing => "Asking the jsDelivr mirror for the file list",
            Phase::Downloading => "Downloading the files the rules read",
            Phase::Reading => "Reading the zip file",
            Phase::Checking => "Checking the release",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub phase: Phase,
    pub done: usize,
    pub total: usize,
}

impl Progress {
    pub fn start(phase: Phase) -> Progress {
        Progress { phase, done: 0, total: 0 }
    }
}

/// A finished check, ready to show: what the checker sends the page. It
/// holds the report's parts the page draws, not the report itself, so the
/// page's own code needs no rule to show it (the rules run in the checker).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checked {
    /// One finding per rule, in registry order.
    pub findings: Vec<Finding>,
    /// What the page says about each rule: title, kind, explanation.
    pub rules: Vec<RuleInfo>,
    /// The test procedure's steps with this release's names.
    pub steps: Vec<Step>,
    /// How the release's pieces connect.
    pub graph: Graph,
    /// The graph drawn for a desktop and for a phone.
    pub pictures: Vec<Picture>,
    /// Where the files came from ("GitHub API", "zip file `r.zip`").
    pub source: String,
    /// What the review is labelled with: the URL, the zip's name, "sample".
    pub label: String,
    /// The review in Markdown (crate `m13-report`).
    pub markdown: String,
    /// Where the cluster-step checkboxes are remembered.
    pub steps_key: String,
    /// For links from evidence to GitHub (URL checks only).
    pub blob_base: Option<BlobBase>,
    /// How the files were had (which host, and why).
    pub notes: Vec<String>,
    /// `Some(when)` when this came from the browser's memory.
    pub remembered: Option<String>,
    /// The release, when it was checked by URL (for "check again").
    pub release: Option<ReleaseRef>,
    /// The review as a new issue on the reviewee's repository, when the
    /// check knows it (built by the checker, which holds the review).
    #[serde(default)]
    pub issue: Option<IssueButton>,
}

/// A rule as the page shows it beside its finding (from the registry, in
/// the checker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleInfo {
    pub id: RuleId,
    pub title: String,
    pub kind: Kind,
    /// Where the course page asks for it.
    pub source: String,
    /// The rule's documentation, as Markdown.
    pub explanation: String,
}

impl Checked {
    pub fn counts(&self) -> Counts {
        Counts::tally(&self.findings)
    }

    /// True when no rule failed.
    pub fn passed(&self) -> bool {
        self.findings.iter().all(|f| f.status != Status::Fail)
    }

    /// Findings ordered for display: failures first, then warnings, manual
    /// items and passes, each group in registry order.
    pub fn by_severity(&self) -> Vec<&Finding> {
        m13_rules::by_severity(&self.findings)
    }

    pub fn rule(&self, id: RuleId) -> Option<&RuleInfo> {
        self.rules.iter().find(|r| r.id == id)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum CheckState {
    Idle,
    Working(Progress),
    Checked(Rc<Checked>),
    Failed(LoadError),
}

/// Why the URL field was not checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    pub message: String,
    /// A release URL the link points to, offered as a button.
    pub suggestion: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// The URL field's text.
    pub input: String,
    pub problem: Option<InputProblem>,
    /// The last job asked for.
    pub job: Option<Pending>,
    next_id: u32,
    pub check: CheckState,
    /// The last rate-limit headers GitHub sent.
    pub rate: Option<RateLimit>,
    /// A personal access token (memory and session storage only).
    pub token: String,
    /// Ids of the cluster steps ticked for the shown check.
    pub steps_done: BTreeSet<String>,
    /// A short message for the live region ("Copied…").
    pub notice: Option<String>,
    /// The checker's worker has loaded and takes jobs.
    pub checker_ready: bool,
    /// How often the checker has spoken about the running job (its
    /// progress, and the sign of life it sends every few seconds while it is
    /// free to): the watchdog starts counting again at each.
    pub checker_heard: u32,
    /// How many checkers the watchdog has stopped: the app terminates the
    /// worker and starts another at each.
    pub checker_stops: u32,
}

/// How long the checker may work on a job without a word before the page
/// stops it. It says it is alive every few seconds while it waits for the
/// network (`checker::protocol::ALIVE_EVERY_MS`), and reports each file
/// downloaded, so only a checker stuck computing stays silent this long: a
/// typical release takes milliseconds, a 50 MB zip under a tenth of a second.
pub const WATCHDOG_SECONDS: u32 = 20;

/// The watchdog's limit, given the test hook's value (a number a script of
/// the page may set; see `app.rs`): whole seconds from 1 to
/// [`WATCHDOG_SECONDS`], so the hook can only shorten the limit; anything
/// else keeps it.
pub fn watchdog_seconds(hook: Option<f64>) -> u32 {
    match hook {
        Some(seconds) if (1.0..=f64::from(WATCHDOG_SECONDS)).contains(&seconds) => seconds as u32,
        _ => WATCHDOG_SECONDS,
    }
}

/// What the watchdog watches: the running job, once the checker has it,
/// and how often the checker has spoken since. The app arms one timer per
/// value; a timer that fires with the value still current stops the check
/// ([`Action::Stalled`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Watch {
    pub id: u32,
    pub heard: u32,
}

impl Default for State {
    fn default() -> State {
        State {
            input: String::new(),
            problem: None,
            job: None,
            next_id: 1,
            check: CheckState::Idle,
            rate: None,
            token: String::new(),
            steps_done: BTreeSet::new(),
            notice: None,
            checker_ready: false,
            checker_heard: 0,
            checker_stops: 0,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Action {
    /// What the browser remembered for this session: token and rate limit.
    Restore {
        token: String,
        rate: Option<RateLimit>,
    },
    /// The URL field changed.
    Edit(String),
    /// Check the URL field.
    Submit,
    /// Put a URL in the field and check it (a `?url=` link, a suggestion).
    Open(String),
    /// Check the shown release again, skipping the browser's memory.
    Recheck,
    TrySample,
    /// The chosen file cannot be checked (too large).
    FileFailed(String),
    /// Check the chosen file.
    CheckZip {
        name: String,
        file: ZipFile,
    },
    Progress {
        id: u32,
        progress: Progress,
    },
    RateLimit(RateLimit),
    Loaded {
        id: u32,
        checked: Rc<Checked>,
        steps_done: BTreeSet<String>,
    },
    Failed {
        id: u32,
        error: LoadError,
    },
    /// The checker's worker has loaded.
    CheckerReady,
    /// The checker is alive and free to answer while it works on job `id`
    /// (it waits for the network, not stuck computing).
    Alive {
        id: u32,
    },
    /// The watchdog's timer for `watch` ran out after `seconds`.
    Stalled {
        watch: Watch,
        seconds: u32,
    },
    /// Run the job that failed again (offered after the watchdog stopped
    /// it, or the checker stopped by itself).
    Retry,
    ToggleStep(String),
    SetToken(String),
    Notice(Option<String>),
}

impl State {
    /// The id of the job now running, if any.
    pub fn job_id(&self) -> Option<u32> {
        self.job.as_ref().map(|p| p.id)
    }

    pub fn is_working(&self) -> bool {
        matches!(self.check, CheckState::Working(_))
    }

    /// What the watchdog should be timing now, if anything: a running job
    /// the checker has (a job waiting for the checker to arrive is not
    /// timed, a slow network is not the checker being stuck).
    pub fn watch(&self) -> Option<Watch> {
        let id = self.job_id().filter(|_| self.is_working() && self.checker_ready)?;
        Some(Watch { id, heard: self.checker_heard })
    }

    /// Whether the shown error offers to check again.
    pub fn can_retry(&self) -> bool {
        matches!(self.check, CheckState::Failed(LoadError::TimedOut { .. } | LoadError::Checker { .. }))
            && self.job.is_some()
    }

    /// A new job replaces whatever was shown: the result, the error box
    /// and the field's problem.
    fn start(&mut self, job: Job, phase: Phase) {
        self.problem = None;
        self.job = Some(Pending { id: self.next_id, job });
        self.next_id = self.next_id.wrapping_add(1);
        self.check = CheckState::Working(Progress::start(phase));
        self.steps_done.clear();
        self.notice = None;
        self.checker_heard = 0;
    }

    /// The checker spoke about job `id`.
    fn heard(&mut self, id: u32) {
        if self.is_current(id) && self.is_working() {
            self.checker_heard = self.checker_heard.wrapping_add(1);
        }
    }

    fn submit(&mut self) {
        let problem = match classify(&self.input) {
            Input::Release(release) => {
                self.start(Job::Release { release, fresh: false }, Phase::Listing);
                return;
            }
            Input::Empty => InputProblem {
                message:
                    "Paste a release URL first, such as https://github.com/OWNER/REPO/releases/tag/milestone-13.1."
                        .to_owned(),
                suggestion: None,
            },
            Input::NotRelease { explanation, suggestion } => InputProblem { message: explanation, suggestion },
            Input::NotGitHub(message) => InputProblem { message, suggestion: None },
        };
        self.show_problem(problem);
    }

    /// The field's problem replaces what was shown below it: a result of
    /// another release, or an error box, would read as this URL's. A job
    /// still running is dropped (its answer is ignored).
    fn show_problem(&mut self, problem: InputProblem) {
        self.problem = Some(problem);
        self.job = None;
        self.check = CheckState::Idle;
        self.steps_done.clear();
    }

    fn is_current(&self, id: u32) -> bool {
        self.job_id() == Some(id)
    }

    /// The transition for one action.
    pub fn apply(mut self, action: Action) -> State {
        match action {
            Action::Restore { token, rate } => {
                self.token = token;
                self.rate = rate;
            }
            Action::Edit(text) => {
                self.input = text;
                self.problem = None;
            }
            Action::Submit => self.submit(),
            Action::Open(url) => {
                self.input = url.trim().to_owned();
                self.submit();
            }
            Action::Recheck => {
                if let CheckState::Checked(checked) = &self.check
                    && let Some(release) = checked.release.clone()
                {
                    self.start(Job::Release { release, fresh: true }, Phase::Listing);
                }
            }
            Action::TrySample => self.start(Job::Sample, Phase::Checking),
            Action::FileFailed(detail) => {
                self.problem = None;
                self.job = None;
                self.check = CheckState::Failed(LoadError::File { detail });
            }
            Action::CheckZip { name, file } => {
                let posted_url = match classify(&self.input) {
                    Input::Release(release) => Some(release.url),
                    _ => None,
                };
                self.start(Job::Zip { name, file, posted_url }, Phase::Reading);
            }
            Action::Progress { id, progress } => {
                self.heard(id);
                if self.is_current(id) && self.is_working() {
                    self.check = CheckState::Working(progress);
                }
            }
            Action::Alive { id } => self.heard(id),
            Action::Stalled { watch, seconds } => {
                if self.watch() == Some(watch) {
                    self.check = CheckState::Failed(LoadError::TimedOut { seconds });
                    // The app terminates this checker and starts another.
                    self.checker_ready = false;
                    self.checker_stops = self.checker_stops.wrapping_add(1);
                }
            }
            Action::Retry => {
                if self.can_retry()
                    && let Some(pending) = self.job.take()
                {
                    let phase = pending.job.first_phase();
                    self.start(pending.job, phase);
                }
            }
            Action::RateLimit(rate) => self.rate = Some(rate),
            Action::Loaded { id, checked, steps_done } => {
                if self.is_current(id) {
                    self.check = CheckState::Checked(checked);
                    self.steps_done = steps_done;
                }
            }
            Action::Failed { id, error } => {
                if self.is_current(id) {
                    self.check = CheckState::Failed(error);
                }
            }
            Action::ToggleStep(step) => {
                if !self.steps_done.remove(&step) {
                    self.steps_done.insert(step);
                }
            }
            Action::SetToken(token) => {
                let token = token.trim().to_owned();
                if token != self.token {
                    // Another token (or none) has its own hourly window.
                    self.rate = None;
                }
                self.token = token;
            }
            Action::Notice(notice) => self.notice = notice,
            Action::CheckerReady => {
                // The job waiting for it is sent now: the watchdog starts.
                self.checker_ready = true;
                self.checker_heard = self.checker_heard.wrapping_add(1);
            }
        }
        self
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Rc::unwrap_or_clone(self).apply(action))
    }
}

#[cfg(test)]
mod tests {
    use m13_rules::{Origin, Snapshot, SourceKind, check};

    use super::*;

    const RELEASE_URL: &str = "https://github.com/ana/cis-92/releases/tag/milestone-13.1";

    fn checked(release: Option<ReleaseRef>) -> Rc<Checked> {
        let report = check(&Snapshot::from_files([("README.md", "hi")]), &Origin::new(SourceKind::Sample));
        let mut checked = crate::checker::run::checked(report, "sample".into(), "sample");
        checked.release = release;
        Rc::new(checked)
    }

    fn run(actions: impl IntoIterator<Item = Action>) -> State {
        actions.into_iter().fold(State::default(), State::apply)
    }

    fn release_job(state: &State) -> Option<(ReleaseRef, bool)> {
        match state.job.as_ref().map(|p| &p.job) {
            Some(Job::Release { release, fresh }) => Some((release.clone(), *fresh)),
            _ => None,
        }
    }

    #[test]
    fn restore_sets_token_and_rate() {
        let rate = RateLimit { limit: 60, remaining: 3, reset: 9 };
        let state = run([Action::Restore { token: "t".into(), rate: Some(rate) }]);
        assert_eq!(state.token, "t");
        assert_eq!(state.rate, Some(rate));
    }

    #[test]
    fn submitting_a_release_url_starts_a_job() {
        let state = run([Action::Edit(RELEASE_URL.into()), Action::Submit]);
        let (release, fresh) = release_job(&state).expect("a release job");
        assert_eq!(release.tag, "milestone-13.1");
        assert!(!fresh);
        assert_eq!(state.check, CheckState::Working(Progress::start(Phase::Listing)));
        assert_eq!(state.problem, None);
    }

    #[test]
    fn submitting_a_branch_link_explains_and_starts_nothing() {
        let state = run([Action::Edit("https://github.com/ana/cis-92/tree/main".into()), Action::Submit]);
        assert!(state.job.is_none());
        assert_eq!(state.check, CheckState::Idle);
        let problem = state.problem.expect("explained");
        assert!(
            problem.message.starts_with("This is the main branch, not a release: stop and ask for the release URL")
        );
        let state = run([Action::Submit]);
        assert!(state.problem.is_some_and(|p| p.message.starts_with("Paste a release URL")));
        let state = run([Action::Edit("hello".into()), Action::Submit]);
        assert!(state.problem.is_some_and(|p| p.message.contains("not a github.com link")));
    }

    #[test]
    fn editing_clears_the_problem() {
        let state = run([Action::Submit, Action::Edit("x".into())]);
        assert_eq!(state.problem, None);
        assert_eq!(state.input, "x");
    }

    #[test]
    fn open_fills_the_field_and_checks() {
        let state = run([Action::Open(format!("  {RELEASE_URL} "))]);
        assert_eq!(state.input, RELEASE_URL);
        assert!(release_job(&state).is_some());
    }

    #[test]
    fn progress_and_results_of_old_jobs_are_ignored() {
        let state = run([Action::Open(RELEASE_URL.into())]);
        let old = state.job_id().expect("id");
        let state = state.apply(Action::TrySample);
        let new = state.job_id().expect("id");
        assert_ne!(old, new);
        let progress = Progress { phase: Phase::Downloading, done: 1, total: 4 };
        let state = state.apply(Action::Progress { id: old, progress });
        assert_eq!(state.check, CheckState::Working(Progress::start(Phase::Checking)));
        let state = state.apply(Action::Failed { id: old, error: LoadError::Offline });
        assert!(state.is_working());
        let state = state.apply(Action::Loaded { id: old, checked: checked(None), steps_done: BTreeSet::new() });
        assert!(state.is_working());
        let state = state.apply(Action::Progress { id: new, progress });
        assert_eq!(state.check, CheckState::Working(progress));
    }

    #[test]
    fn loaded_shows_the_check_and_its_ticked_steps() {
        let state = run([Action::TrySample]);
        let id = state.job_id().expect("id");
        let done: BTreeSet<String> = ["start-minikube".to_owned()].into();
        let state = state.apply(Action::Loaded { id, checked: checked(None), steps_done: done.clone() });
        assert!(matches!(state.check, CheckState::Checked(_)));
        assert_eq!(state.steps_done, done);
        let state = state.apply(Action::Progress { id, progress: Progress::start(Phase::Checking) });
        assert!(matches!(state.check, CheckState::Checked(_)), "progress after the result is ignored");
    }

    #[test]
    fn failed_shows_the_error() {
        let state = run([Action::TrySample]);
        let id = state.job_id().expect("id");
        let state = state.apply(Action::Failed { id, error: LoadError::Offline });
        assert_eq!(state.check, CheckState::Failed(LoadError::Offline));
    }

    #[test]
    fn recheck_asks_for_a_fresh_copy_of_the_same_release() {
        let state = run([Action::Open(RELEASE_URL.into())]);
        let id = state.job_id().expect("id");
        let release = release_job(&state).map(|(r, _)| r);
        let state = state.apply(Action::Loaded { id, checked: checked(release.clone()), steps_done: BTreeSet::new() });
        let state = state.apply(Action::Recheck);
        assert_eq!(release_job(&state), release.map(|r| (r, true)));
        assert!(state.is_working());
        // Nothing to recheck for a sample.
        let state = run([Action::TrySample]);
        let id = state.job_id().expect("id");
        let state = state.apply(Action::Loaded { id, checked: checked(None), steps_done: BTreeSet::new() });
        let state = state.apply(Action::Recheck);
        assert_eq!(state.job_id(), Some(id));
    }

    #[test]
    fn a_file_is_checked_with_the_url_in_the_field() {
        let state = run([Action::Edit(RELEASE_URL.into())]);
        let state = state.apply(Action::CheckZip { name: "r.zip".into(), file: ZipFile::default() });
        assert_eq!(state.check, CheckState::Working(Progress::start(Phase::Reading)));
        match state.job.as_ref().map(|p| &p.job) {
            Some(Job::Zip { name, posted_url, .. }) => {
                assert_eq!(name, "r.zip");
                assert_eq!(posted_url.as_deref(), Some(RELEASE_URL));
            }
            other => panic!("not a zip job: {other:?}"),
        }
        let state = run([Action::Edit("https://github.com/ana/cis-92".into())]);
        let state = state.apply(Action::CheckZip { name: "r.zip".into(), file: ZipFile::default() });
        assert!(matches!(state.job.as_ref().map(|p| &p.job), Some(Job::Zip { posted_url: None, .. })));
    }

    #[test]
    fn a_file_that_cannot_be_checked_fails() {
        let state = run([Action::TrySample, Action::FileFailed("`big.zip` is 300 MB".into())]);
        assert!(state.job.is_none());
        assert_eq!(state.check, CheckState::Failed(LoadError::File { detail: "`big.zip` is 300 MB".into() }));
    }

    #[test]
    fn steps_toggle() {
        let state =
            run([Action::ToggleStep("a".into()), Action::ToggleStep("b".into()), Action::ToggleStep("a".into())]);
        assert_eq!(state.steps_done, ["b".to_owned()].into());
        let state = state.apply(Action::TrySample);
        assert!(state.steps_done.is_empty(), "a new check starts with its own steps");
    }

    #[test]
    fn the_rate_limit_is_kept_until_the_token_changes() {
        let rate = RateLimit { limit: 60, remaining: 10, reset: 9 };
        let state = run([Action::RateLimit(rate)]);
        assert_eq!(state.rate, Some(rate));
        let state = state.apply(Action::SetToken(String::new()));
        assert_eq!(state.rate, Some(rate), "the same (no) token");
        let state = state.apply(Action::SetToken(" ghp_x ".into()));
        assert_eq!(state.token, "ghp_x");
        assert_eq!(state.rate, None);
    }

    #[test]
    fn notices_come_and_go() {
        let state = run([Action::Notice(Some("Copied".into()))]);
        assert_eq!(state.notice.as_deref(), Some("Copied"));
        assert_eq!(state.apply(Action::Notice(None)).notice, None);
    }

    #[test]
    fn the_watchdog_times_only_a_running_job_the_checker_has() {
        let state = run([Action::TrySample]);
        assert_eq!(
            state.watch(),
            None,
            "the job waits for the checker to arrive: a slow network is not a stuck checker"
        );
        let state = state.apply(Action::CheckerReady);
        let id = state.job_id().expect("id");
        assert_eq!(state.watch().map(|w| w.id), Some(id));
        let state = state.apply(Action::Loaded { id, checked: checked(None), steps_done: BTreeSet::new() });
        assert_eq!(state.watch(), None, "a finished check is not timed");
        assert_eq!(run([Action::CheckerReady]).watch(), None, "nothing runs");
    }

    #[test]
    fn a_checker_silent_for_the_limit_is_stopped() {
        let state = run([Action::CheckerReady, Action::Open(RELEASE_URL.into())]);
        let watch = state.watch().expect("watched");
        let state = state.apply(Action::Stalled { watch, seconds: 20 });
        assert_eq!(state.check, CheckState::Failed(LoadError::TimedOut { seconds: 20 }));
        assert_eq!(state.checker_stops, 1, "the app terminates the worker and starts another");
        assert!(!state.checker_ready, "until the new one says it is ready");
        assert_eq!(state.watch(), None);
        assert!(state.can_retry());
        let state = state.apply(Action::Stalled { watch, seconds: 20 });
        assert_eq!(state.checker_stops, 1, "one stop per check");
    }

    #[test]
    fn progress_and_signs_of_life_start_the_count_again() {
        let state = run([Action::CheckerReady, Action::Open(RELEASE_URL.into())]);
        let id = state.job_id().expect("id");
        let first = state.watch().expect("watched");
        let progress = Progress { phase: Phase::Downloading, done: 3, total: 10 };
        let state = state.apply(Action::Progress { id, progress });
        let second = state.watch().expect("watched");
        assert_ne!(first, second, "progress arms a new timer");
        let state = state.apply(Action::Stalled { watch: first, seconds: 20 });
        assert_eq!(state.check, CheckState::Working(progress), "the timer of before the progress is stale");
        let state = state.apply(Action::Alive { id });
        let third = state.watch().expect("watched");
        assert_ne!(second, third, "so does a sign of life");
        let state = state.apply(Action::Alive { id: id.wrapping_add(7) });
        assert_eq!(state.watch(), Some(third), "another job's signs of life do not count");
        let state = state.apply(Action::Stalled { watch: third, seconds: 20 });
        assert_eq!(state.check, CheckState::Failed(LoadError::TimedOut { seconds: 20 }));
    }

    #[test]
    fn a_finished_check_is_never_stopped() {
        let state = run([Action::CheckerReady, Action::TrySample]);
        let id = state.job_id().expect("id");
        let watch = state.watch().expect("watched");
        let state = state.apply(Action::Loaded { id, checked: checked(None), steps_done: BTreeSet::new() });
        let state = state.apply(Action::Stalled { watch, seconds: 20 });
        assert!(matches!(state.check, CheckState::Checked(_)));
        assert_eq!(state.checker_stops, 0);
    }

    #[test]
    fn check_again_runs_the_stopped_job_with_a_new_id() {
        let state = run([Action::CheckerReady, Action::Edit(RELEASE_URL.into())]);
        let state = state.apply(Action::CheckZip { name: "r.zip".into(), file: ZipFile::default() });
        let stopped = state.job_id().expect("id");
        let watch = state.watch().expect("watched");
        let state = state.apply(Action::Stalled { watch, seconds: 20 }).apply(Action::Retry);
        assert_eq!(state.check, CheckState::Working(Progress::start(Phase::Reading)));
        assert_ne!(state.job_id(), Some(stopped));
        assert!(matches!(state.job.as_ref().map(|p| &p.job), Some(Job::Zip { name, .. }) if name == "r.zip"));
        assert_eq!(state.watch(), None, "it waits for the new checker");
        let state = state.apply(Action::CheckerReady);
        assert!(state.watch().is_some());
        // A checker that crashed can be tried again too; other errors cannot.
        let state = run([Action::TrySample]);
        let id = state.job_id().expect("id");
        let crashed = state.apply(Action::Failed { id, error: LoadError::Checker { detail: "it crashed".into() } });
        assert!(crashed.can_retry());
        assert_eq!(crashed.apply(Action::Retry).check, CheckState::Working(Progress::start(Phase::Checking)));
        let offline = run([Action::TrySample]);
        let id = offline.job_id().expect("id");
        let offline = offline.apply(Action::Failed { id, error: LoadError::Offline });
        assert!(!offline.can_retry());
        assert_eq!(offline.apply(Action::Retry).check, CheckState::Failed(LoadError::Offline));
    }

    #[test]
    fn the_test_hook_can_only_shorten_the_limit() {
        assert_eq!(watchdog_seconds(None), WATCHDOG_SECONDS);
        assert_eq!(watchdog_seconds(Some(2.0)), 2);
        assert_eq!(watchdog_seconds(Some(1.9)), 1);
        for ignored in [0.0, 0.5, -3.0, 21.0, 1e9, f64::NAN, f64::INFINITY] {
            assert_eq!(watchdog_seconds(Some(ignored)), WATCHDOG_SECONDS, "{ignored}");
        }
    }

    /// The sample, checked and shown.
    fn shown_sample() -> State {
        let state = run([Action::TrySample]);
        let id = state.job_id().expect("id");
        state.apply(Action::Loaded { id, checked: checked(None), steps_done: ["start-minikube".to_owned()].into() })
    }

    #[test]
    fn an_input_error_replaces_the_shown_result() {
        let state = shown_sample().apply(Action::Edit("https://github.com/ana/cis-92/tree/main".into()));
        assert!(matches!(state.check, CheckState::Checked(_)), "editing alone keeps the result");
        let state = state.apply(Action::Submit);
        assert!(state.problem.is_some());
        assert_eq!(state.check, CheckState::Idle, "the old result would read as this link's");
        assert!(state.job.is_none());
        assert!(state.steps_done.is_empty());
        let state = shown_sample().apply(Action::Open("hello".into()));
        assert!(state.problem.is_some_and(|p| p.message.contains("not a github.com link")));
        assert_eq!(state.check, CheckState::Idle);
    }

    #[test]
    fn an_input_error_replaces_the_error_box() {
        let state = run([Action::TrySample]);
        let id = state.job_id().expect("id");
        let state = state.apply(Action::Failed { id, error: LoadError::Offline }).apply(Action::Submit);
        assert!(state.problem.is_some());
        assert_eq!(state.check, CheckState::Idle);
        let state = run([Action::FileFailed("`big.zip` is 300 MB".into()), Action::Submit]);
        assert_eq!(state.check, CheckState::Idle);
    }

    #[test]
    fn a_check_replaced_by_an_input_error_is_not_shown_when_it_ends() {
        let state = run([Action::CheckerReady, Action::Open(RELEASE_URL.into())]);
        let id = state.job_id().expect("id");
        let state = state.apply(Action::Open("https://github.com/ana/cis-92/tree/main".into()));
        assert_eq!(state.watch(), None, "nothing is timed any more");
        let state = state.apply(Action::Loaded { id, checked: checked(None), steps_done: BTreeSet::new() });
        assert_eq!(state.check, CheckState::Idle);
        let state = state.apply(Action::Failed { id, error: LoadError::Offline });
        assert_eq!(state.check, CheckState::Idle);
        assert!(state.problem.is_some(), "the problem stays");
    }

    #[test]
    fn a_new_check_replaces_the_input_error_and_the_error_box() {
        let with_problem = || run([Action::Open("https://github.com/ana/cis-92/tree/main".into())]);
        let state = with_problem().apply(Action::TrySample);
        assert_eq!(state.problem, None);
        assert!(state.is_working());
        let state = with_problem().apply(Action::CheckZip { name: "r.zip".into(), file: ZipFile::default() });
        assert_eq!(state.problem, None);
        let state = with_problem().apply(Action::FileFailed("`big.zip` is 300 MB".into()));
        assert_eq!(state.problem, None, "one box at a time");
        assert!(matches!(state.check, CheckState::Failed(LoadError::File { .. })));
        // A stopped check run again, and a result checked again, start clean too.
        let state = run([Action::CheckerReady, Action::TrySample]);
        let watch = state.watch().expect("watched");
        let state = state.apply(Action::Stalled { watch, seconds: 20 }).apply(Action::Retry);
        assert!(state.is_working());
        let state = run([Action::Open(RELEASE_URL.into())]);
        let id = state.job_id().expect("id");
        let release = release_job(&state).map(|(r, _)| r);
        let state = state.apply(Action::Loaded { id, checked: checked(release), steps_done: BTreeSet::new() });
        let state = state.apply(Action::Recheck);
        assert!(state.is_working(), "the old result is replaced by the progress");
        // A new result replaces the old one.
        let state = shown_sample().apply(Action::TrySample);
        assert!(state.is_working());
        assert!(state.steps_done.is_empty());
    }

    #[test]
    fn pending_jobs_compare_by_id() {
        let a = Pending { id: 1, job: Job::Sample };
        let b = Pending { id: 1, job: Job::Zip { name: "x".into(), file: ZipFile::default(), posted_url: None } };
        assert_eq!(a, b);
        assert_ne!(a, Pending { id: 2, job: Job::Sample });
    }
}
