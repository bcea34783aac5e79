//! The GitHub API calls left in this hour's window.

use yew::{Html, Properties, classes, component, html};

use crate::fetch::rate::RateLimit;

#[derive(Properties, PartialEq)]
pub struct RateLimitLineProps {
    pub rate: RateLimit,
    /// Seconds since the epoch, read by the app.
    pub now: u64,
    /// The reset time on the user's clock.
    pub reset_clock: String,
}

#[component]
pub fn RateLimitLine(props: &RateLimitLineProps) -> Html {
    let low = props.rate.is_low(props.now);
    html! {
        <p class={classes!("rate", low.then_some("low"))}>
            { props.rate.describe(props.now, &props.reset_clock) }
            if low {
                { " Checks use the jsDelivr mirror until then." }
            }
        </p>
    }
}
