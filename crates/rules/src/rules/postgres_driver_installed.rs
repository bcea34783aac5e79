use crate::finding::{Evidence, Verdict};
use crate::model::Release;
use crate::registry::{Kind, declare_rule};

const DRIVERS: [&str; 4] = ["psycopg2", "psycopg2-binary", "psycopg", "psycopg-binary"];

declare_rule! {
    /// ## What it checks
    /// The image installs a PostgreSQL driver for Django: `psycopg2`,
    /// `psycopg2-binary` or `psycopg` (3) in a `requirements*.txt`, or in a
    /// `pip install` of the Dockerfile.
    ///
    /// ## Why it matters
    /// Requirements 5. Without the driver Django fails at start with
    /// "Error loading psycopg2 or psycopg module", so step 8's migrate fails.
    ///
    /// ## Passes
    /// `psycopg2-binary==2.9.9` or `psycopg[binary]` in requirements.txt.
    ///
    /// ## Fails
    /// Requirements without any of them. No requirements file and no
    /// `pip install` of a driver is manual: the base image may have it.
    ///
    /// ## How to fix
    /// Add `psycopg[binary]` (or `psycopg2-binary`) to requirements.txt and
    /// rebuild the image.
    pub static RULE = Rule {
        title: "The image installs a PostgreSQL driver",
        source: "Requirements 5; step 8",
        kind: Kind::Deeper,
        remediation: "Add psycopg[binary] or psycopg2-binary to requirements.txt and rebuild the image.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    for file in &release.requirements {
        if let Some(found) = file.requirements.iter().find(|r| DRIVERS.contains(&r.name.as_str())) {
            return Verdict::pass(format!("`{}` installs {}.", file.path, found.name))
                .with(Evidence::at(&file.path, Some(found.line)).found(found.text.clone()));
        }
    }
    for dockerfile in &release.dockerfiles {
        let run = dockerfile
            .file
            .instructions
            .iter()
            .find(|i| i.keyword == "RUN" && i.args.contains("pip") && DRIVERS.iter().any(|d| i.args.contains(d)));
        if let Some(run) = run {
            return Verdict::pass(format!("`{}` installs a driver with pip.", dockerfile.path))
                .with(Evidence::at(&dockerfile.path, Some(run.line)).found(run.args.clone()));
        }
    }
    match release.requirements.first() {
        Some(file) => Verdict::fail(format!("`{}` installs no PostgreSQL driver (psycopg or psycopg2).", file.path))
            .with(
                Evidence::at(&file.path, None)
                    .found(format!("{} packages, none a driver", file.requirements.len()))
                    .expected("psycopg[binary] or psycopg2-binary"),
            ),
        None => Verdict::manual(
            "No requirements file and no `pip install` of a driver in the Dockerfile: check that the image has psycopg.",
        ),
    }
}
