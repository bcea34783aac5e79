//! Getting a release from GitHub in the browser (the rules never know):
//! two API calls in parallel (the release and the recursive tree; a third,
//! the tag's ref, only when the release answers 404), then only the files
//! the rules read, in parallel: from the raw host (jsDelivr for those it
//! refuses), or through the API's blobs with a token. The jsDelivr mirror
//! lists the release when the API refuses or little of its limit is left.
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
