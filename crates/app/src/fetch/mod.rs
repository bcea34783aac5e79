//! Getting a release from GitHub in the browser (the rules never know):
//! two API calls in parallel (the release and the recursive tree), then
//! only the files the rules read from the raw host, in parallel; the
//! jsDelivr mirror when the API refuses or little of its limit is left.
//!
//! [`github`], [`jsdelivr`], [`rate`], [`plan`] and [`error`] are pure and
//! tested natively; [`http`] and [`run`] are the browser edge.

pub mod error;
pub mod github;
pub mod http;
pub mod jsdelivr;
pub mod plan;
pub mod rate;
pub mod run;
