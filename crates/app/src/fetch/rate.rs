//! GitHub's API rate limit, read from the `x-ratelimit-*` headers of every
//! API answer, and what the page says about it.

use serde::{Deserialize, Serialize};

/// How many API calls one check spends without a token: the release and
/// the tree (a third, the tag's ref, only when the release answers 404).
pub const CALLS_PER_CHECK: u32 = 2;

/// Below this many calls left, a check goes to the mirror instead, so the
/// last calls of a shared campus address are not spent in a burst.
pub const RESERVE: u32 = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimit {
    pub limit: u32,
    pub remaining: u32,
    /// When the window resets, in seconds since the Unix epoch.
    pub reset: u64,
}

impl RateLimit {
    /// Reads the headers through `header` (a name to its value). `None` when
    /// the answer carried no rate-limit headers (a mirror, a cached error).
    pub fn from_headers(header: impl Fn(&str) -> Option<String>) -> Option<RateLimit> {
        let number = |name: &str| header(name).and_then(|v| v.trim().parse::<u64>().ok());
        Some(RateLimit {
            limit: u32::try_from(number("x-ratelimit-limit")?).ok()?,
            remaining: u32::try_from(number("x-ratelimit-remaining")?).ok()?,
            reset: number("x-ratelimit-reset")?,
        })
    }

    /// As kept in local storage: `limit remaining reset`.
    pub fn to_text(&self) -> String {
        format!("{} {} {}", self.limit, self.remaining, self.reset)
    }

    pub fn from_text(text: &str) -> Option<RateLimit> {
        let mut numbers = text.split_whitespace();
        let rate = RateLimit {
            limit: numbers.next()?.parse().ok()?,
            remaining: numbers.next()?.parse().ok()?,
            reset: numbers.next()?.parse().ok()?,
        };
        numbers.next().is_none().then_some(rate)
    }

    /// Whole minutes until the reset, rounded up; 0 once it has passed.
    pub fn minutes_to_reset(&self, now: u64) -> u64 {
        self.reset.saturating_sub(now).div_ceil(60)
    }

    /// True when this window has no room for another check (keeping
    /// [`RESERVE`] calls back) and has not reset yet.
    pub fn is_low(&self, now: u64) -> bool {
        self.reset > now && self.remaining < RESERVE.max(CALLS_PER_CHECK)
    }

    /// True when the window is spent and has not reset yet.
    pub fn is_exhausted(&self, now: u64) -> bool {
        self.reset > now && self.remaining == 0
    }

    /// E.g. `57 of 60 GitHub API calls left; the count resets at 16:05 (in 23 minutes).`
    /// `clock` is the reset time as the user's clock shows it.
    pub fn describe(&self, now: u64, clock: &str) -> String {
        let minutes = self.minutes_to_reset(now);
        let when = match minutes {
            0 => "now".to_owned(),
            1 => format!("at {clock} (in 1 minute)"),
            m => format!("at {clock} (in {m} minutes)"),
        };
        format!("{} of {} GitHub API calls left; the count resets {when}.", self.remaining, self.limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_text_reads_back() {
        let rate = RateLimit { limit: 60, remaining: 0, reset: 1_700_000_000 };
        assert_eq!(RateLimit::from_text(&rate.to_text()), Some(rate));
        assert_eq!(RateLimit::from_text("60 1"), None);
        assert_eq!(RateLimit::from_text("60 1 2 3"), None);
        assert_eq!(RateLimit::from_text(r#"{"limit":60,"remaining":1,"reset":2}"#), None);
    }

    fn headers(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
    }

    #[test]
    fn reads_the_headers() {
        let rate = RateLimit::from_headers(headers(&[
            ("x-ratelimit-limit", "60"),
            ("x-ratelimit-remaining", "57"),
            ("x-ratelimit-reset", "1700003600"),
        ]));
        assert_eq!(rate, Some(RateLimit { limit: 60, remaining: 57, reset: 1_700_003_600 }));
    }

    #[test]
    fn missing_or_broken_headers_give_none() {
        assert_eq!(RateLimit::from_headers(headers(&[])), None);
        assert_eq!(
            RateLimit::from_headers(headers(&[
                ("x-ratelimit-limit", "sixty"),
                ("x-ratelimit-remaining", "1"),
                ("x-ratelimit-reset", "1")
            ])),
            None
        );
    }

    #[test]
    fn describes_the_window() {
        let rate = RateLimit { limit: 60, remaining: 57, reset: 1_000 + 23 * 60 - 30 };
        assert_eq!(rate.minutes_to_reset(1_000), 23);
        assert_eq!(
            rate.describe(1_000, "16:05"),
            "57 of 60 GitHub API calls left; the count resets at 16:05 (in 23 minutes)."
        );
        assert_eq!(
            rate.describe(rate.reset - 10, "16:05"),
            "57 of 60 GitHub API calls left; the count resets at 16:05 (in 1 minute)."
        );
        assert_eq!(rate.describe(rate.reset + 10, "16:05"), "57 of 60 GitHub API calls left; the count resets now.");
    }

    #[test]
    fn low_and_exhausted_only_before_the_reset() {
        let low = RateLimit { limit: 60, remaining: 3, reset: 2_000 };
        assert!(low.is_low(1_000));
        assert!(!low.is_low(2_000));
        assert!(!low.is_exhausted(1_000));
        let spent = RateLimit { remaining: 0, ..low };
        assert!(spent.is_exhausted(1_000));
        assert!(!spent.is_exhausted(2_001));
        assert!(!RateLimit { limit: 5000, remaining: 4999, reset: 2_000 }.is_low(1_000));
    }
}
