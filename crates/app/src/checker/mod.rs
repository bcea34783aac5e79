//! The checker: the rules, the readers and the fetching, run in a Web
//! Worker of their own. The page ([`crate::app`]) is the user interface
//! only; it starts the worker on the first job, so a first visit downloads
//! the interface and not the rules, and a long check never freezes it.
//!
//! * [`protocol`]: the messages, postcard bytes both ways.
//! * [`run`]: what the checker does with a request (pure but for fetching);
//!   [`compare`]: the on-demand views' jobs (earlier releases, a comparison).
//! * [`worker`]: its edge inside the worker.
//! * [`client`]: the page's edge.

pub mod client;
pub mod compare;
pub mod protocol;
pub mod run;
pub mod worker;
