//! The class view: an instructor's list of release URLs (or a handful of
//! zips) checked at once, one table with a row per release and a cell per
//! rule, each row's report a tap away, and the class table as CSV and
//! Markdown with the CLI's columns.
//!
//! [`state`] is plain data and one reducer (tested natively); [`view`] owns
//! it and every side effect; [`table`], [`reports`] and [`exports`] draw.

pub mod exports;
pub mod reports;
pub mod state;
pub mod table;
pub mod view;
