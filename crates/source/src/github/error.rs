//! What can go wrong asking GitHub, each said so the user knows what to do
//! next. No message ever holds the token, or a redirect URL's query (a
//! private repository's download link carries a token there).

use crate::bytes::human;
use crate::error::SourceError;

#[derive(Debug, thiserror::Error)]
pub enum GitHubError {
    /// The posted URL is not a github.com repository link.
    #[error("{0}")]
    NotGitHub(String),
    /// A GitHub link with nothing to download (the list of releases, an
    /// issue...). `what` is [`m13_rules::url::GitHubLink::explain`].
    #[error("cannot check `{url}`: it is {what}")]
    NotARelease { url: String, what: String },
    #[error("`{owner}/{repo}` does not exist or is private; {}", if *with_token {
        "the token given cannot read it (check the spelling, or use a token with access)"
    } else {
        "a token with access can read a private repository"
    })]
    NoSuchRepository { owner: String, repo: String, with_token: bool },
    #[error("`{owner}/{repo}` has no tag `{tag}`: check the spelling in the release URL, or publish the release")]
    NoSuchTag { owner: String, repo: String, tag: String },
    #[error("`{owner}/{repo}` has no branch, tag or commit `{reference}`")]
    NoSuchRef { owner: String, repo: String, reference: String },
    #[error("`{owner}/{repo}` has no published release, so its `releases/latest` link shows nothing")]
    NoRelease { owner: String, repo: String },
    /// The hourly quota is spent. `now` is when it was seen, so the message
    /// ("in N minutes") does not change when shown later.
    #[error("{}", rate_limited(*limit, *reset, *now, *with_token))]
    RateLimited { limit: Option<u64>, reset: Option<u64>, now: u64, with_token: bool },
    /// GitHub's secondary limit on bursts of requests.
    #[error("GitHub asked for fewer requests at once (a secondary rate limit); {}", match retry_after {
        Some(seconds) => format!("try again in {seconds} seconds"),
        None => "wait a minute and try again".to_owned(),
    })]
    SlowDown { retry_after: Option<u64> },
    #[error("GitHub refused the token (401 Bad credentials): check it, or leave it out for a public repository")]
    BadCredentials,
    /// Spaces or control characters inside the token: it cannot be sent.
    #[error("the token contains spaces or control characters; copy it again from GitHub")]
    BadToken,
    #[error("could not reach {host}: {detail}")]
    Network { host: String, detail: String },
    #[error("the download of `{what}` is larger than the {} limit{}", human(*limit), size.map(|s| format!(" ({})", human(s))).unwrap_or_default())]
    TooLarge { what: String, size: Option<u64>, limit: u64 },
    #[error("the download of `{what}` is not a usable zip: {source}")]
    NotZip {
        what: String,
        #[source]
        source: SourceError,
    },
    #[error("GitHub answered {status} for {url}: {message}")]
    Unexpected { url: String, status: u16, message: String },
    #[error("GitHub's answer for {url} could not be understood: {detail}")]
    BadResponse { url: String, detail: String },
    #[error("more than {limit} redirects starting from {url}")]
    TooManyRedirects { url: String, limit: usize },
}

/// "GitHub's API rate limit is used up (60 requests an hour without a
/// token); it resets at 14:05 UTC (in 23 minutes). Use --token or download
/// the zip."
fn rate_limited(limit: Option<u64>, reset: Option<u64>, now: u64, with_token: bool) -> String {
    let allowance = if with_token {
        format!("{} requests an hour with your token", thousands(limit.unwrap_or(5000)))
    } else {
        format!("{} requests an hour without a token", thousands(limit.unwrap_or(60)))
    };
    let resets = match reset {
        Some(reset) => format!("it resets at {} ({})", clock_utc(reset), wait_from(reset, now)),
        None => "it resets within the hour".to_owned(),
    };
    let advice = if with_token { "Wait, or download the zip." } else { "Use --token or download the zip." };
    format!("GitHub's API rate limit is used up ({allowance}); {resets}. {advice}")
}

/// `HH:MM UTC` of a Unix time, without a date crate: the reset is always
/// within the hour, so the date is not needed.
pub(crate) fn clock_utc(epoch_seconds: u64) -> String {
    let of_day = epoch_seconds % 86_400;
    format!("{:02}:{:02} UTC", of_day / 3600, of_day % 3600 / 60)
}

fn wait_from(reset: u64, now: u64) -> String {
    let minutes = reset.saturating_sub(now).div_ceil(60);
    match minutes {
        0 => "in less than a minute".to_owned(),
        1 => "in 1 minute".to_owned(),
        n => format!("in {n} minutes"),
    }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_names_the_reset_time() {
        // 1_700_000_000 is 2023-11-14 22:13:20 UTC.
        let message = rate_limited(Some(60), Some(1_700_000_000), 1_700_000_000 - 1500, false);
        assert_eq!(
            message,
            "GitHub's API rate limit is used up (60 requests an hour without a token); \
             it resets at 22:13 UTC (in 25 minutes). Use --token or download the zip."
        );
        let with_token = rate_limited(Some(5000), Some(1_700_000_000), 1_700_000_000 - 30, true);
        assert!(with_token.contains("5,000 requests an hour with your token"), "{with_token}");
        assert!(with_token.contains("(in 1 minute)"), "{with_token}");
        assert!(rate_limited(None, None, 0, false).contains("within the hour"));
    }

    #[test]
    fn clock_wraps_at_midnight() {
        assert_eq!(clock_utc(0), "00:00 UTC");
        assert_eq!(clock_utc(86_400 + 3600 * 23 + 59 * 60 + 59), "23:59 UTC");
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(60), "60");
        assert_eq!(thousands(5000), "5,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
