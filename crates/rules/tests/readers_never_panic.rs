#![cfg(not(target_arch = "wasm32"))]
//! Each small reader on arbitrary and near-valid input: no panic, and the
//! answers keep their promises (a parsed quantity formats back; a release
//! link keeps its owner, repo and tag). The cargo-fuzz targets in `fuzz/`
//! run the same readers longer.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers stop loudly, like the tests they serve (clippy.toml covers the tests themselves)"
)]

use m13_rules::parse::dockerfile::Dockerfile;
use m13_rules::parse::quantity::Quantity;
use m13_rules::parse::{requirements, yaml};
use m13_rules::url::{GitHubLink, read_tag};
use proptest::prelude::*;

proptest! {
    #[test]
    fn quantities(text in "[-+]?[0-9]{0,6}(\\.[0-9]{0,3})?(m|Mi|Gi|Ki|k|M|G|e[0-9]|E|n|u|mi|MB)?") {
        if let Ok(q) = Quantity::parse(&text) {
            prop_assert!(q.0.is_finite());
            let _ = (q.format_cpu(), q.format_memory());
        }
    }

    #[test]
    fn arbitrary_quantities(text in ".{0,40}") {
        let _ = Quantity::parse(&text);
    }

    #[test]
    fn dockerfiles(lines in proptest::collection::vec("(FROM|ENV|EXPOSE|CMD|RUN|ARG|#|)( [A-Za-z_=\"' 0-9:/\\\\-]{0,30})?\\\\?", 0..30)) {
        let file = Dockerfile::parse(&lines.join("\n"));
        let _ = (file.env(), file.exposed_ports(), file.base_image(), file.final_stage().len());
    }

    #[test]
    fn requirement_files(text in ".{0,300}") {
        for requirement in requirements::parse(&text) {
            prop_assert!(!requirement.name.is_empty());
        }
    }

    #[test]
    fn release_links_keep_their_parts(owner in "[A-Za-z0-9-]{1,20}", repo in "[A-Za-z0-9._-]{1,20}", tag in "[A-Za-z0-9._-]{1,20}") {
        prop_assume!(repo != "." && repo != ".." && !repo.ends_with(".git"));
        let url = format!("https://github.com/{owner}/{repo}/releases/tag/{tag}");
        prop_assert_eq!(GitHubLink::parse(&url), Ok(GitHubLink::Release { owner, repo, tag: tag.clone() }));
        let _ = read_tag(&tag);
    }

    #[test]
    fn arbitrary_links(text in ".{0,120}") {
        if let Ok(link) = GitHubLink::parse(&text) {
            let _ = link.explain();
        }
        let _ = read_tag(&text);
    }

    #[test]
    fn yaml_lines_are_within_the_file(text in "([a-z]{1,5}: ?[a-z0-9\"]{0,5}\n|- [a-z]{1,4}\n|  |---\n){0,40}") {
        let file = yaml::parse(&text);
        let lines = u32::try_from(text.lines().count()).unwrap_or(u32::MAX) + 1;
        if let Some(error) = &file.error {
            prop_assert!(error.line <= lines, "{} > {}", error.line, lines);
        }
    }
}
