//! Every writer on the two sample releases, snapshotted with insta. Read
//! the snapshots as the person who gets them would: the student in the
//! Markdown review, the instructor in the table.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers stop loudly, like the tests they serve (clippy.toml covers the tests themselves)"
)]

mod common;

use m13_report::{BatchItem, batch_table, batch_to_json, batch_to_markdown, to_json, to_markdown, to_sarif, to_text};

const LABEL: &str = "sample.zip";

#[test]
fn text_passing() {
    insta::assert_snapshot!(to_text(&common::passing(), LABEL, false, &common::tool()));
}

#[test]
fn text_failing() {
    insta::assert_snapshot!(to_text(&common::failing(), LABEL, false, &common::tool()));
}

#[test]
fn markdown_passing() {
    insta::assert_snapshot!(to_markdown(&common::passing(), LABEL, &common::tool()));
}

#[test]
fn markdown_failing() {
    insta::assert_snapshot!(to_markdown(&common::failing(), LABEL, &common::tool()));
}

#[test]
fn json_passing() {
    insta::assert_json_snapshot!(to_json(&common::passing(), LABEL, &common::tool()));
}

#[test]
fn json_failing() {
    insta::assert_json_snapshot!(to_json(&common::failing(), LABEL, &common::tool()));
}

#[test]
fn sarif_passing() {
    insta::assert_json_snapshot!(to_sarif(&[(LABEL, &common::passing())], &common::tool()));
}

#[test]
fn sarif_failing() {
    insta::assert_json_snapshot!(to_sarif(&[(LABEL, &common::failing())], &common::tool()));
}

#[test]
fn batch() {
    let (passing, failing) = (common::passing(), common::failing());
    let items = [
        BatchItem::Checked { label: "ana.zip", report: &passing },
        BatchItem::Checked { label: common::POSTED_URL, report: &failing },
        BatchItem::Failed { label: "broken.zip", error: "not a zip file: invalid Zip archive: Could not find EOCD" },
    ];
    insta::assert_snapshot!("batch_table", batch_table(&items, false, &common::tool()));
    insta::assert_json_snapshot!("batch_json", batch_to_json(&items, &common::tool()));
    insta::assert_snapshot!("batch_markdown", batch_to_markdown(&items, &common::tool()));
}
