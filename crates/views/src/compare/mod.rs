//! The comparison view (`?compare=URL`): the release's repository's earlier
//! milestone-13 releases (one API call, when the view opens), and, for the
//! one chosen, which verdicts changed (fixed, broken, still failing) and
//! which of the files the rules read changed, with the review's "Since"
//! section to copy or post. The checker does the work
//! (`m13_app::checker::compare`), as the CLI's `--compare-to` does.
//!
//! [`state`] is plain data and one reducer; [`view`] owns it and the
//! side effects.

pub mod state;
pub mod view;
