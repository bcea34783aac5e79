//! The clock and the user's time zone, read at the edge (the rules never
//! read a clock). In the browser through `Date`; natively (tests) in UTC.

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    }
}

/// Seconds since the Unix epoch.
pub fn now_secs() -> u64 {
    let secs = (now_ms() / 1000.0).floor();
    if secs.is_finite() && secs > 0.0 { secs as u64 } else { 0 }
}

/// `HH:MM` on the user's clock for a time in seconds since the epoch.
pub fn clock_time(epoch_secs: u64) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(epoch_secs as f64 * 1000.0));
        format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let day = epoch_secs % 86_400;
        format!("{:02}:{:02} UTC", day / 3600, day % 3600 / 60)
    }
}

/// A date and time for "checked on …" notes, from milliseconds.
pub fn date_time(epoch_ms: f64) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(epoch_ms));
        format!(
            "{}-{:02}-{:02} {:02}:{:02}",
            date.get_full_year(),
            date.get_month() + 1,
            date.get_date(),
            date.get_hours(),
            date.get_minutes()
        )
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let secs = if epoch_ms.is_finite() && epoch_ms > 0.0 { (epoch_ms / 1000.0) as u64 } else { 0 };
        format!("{} s after the epoch ({})", secs, clock_time(secs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_natively() {
        assert_eq!(clock_time(16 * 3600 + 5 * 60 + 59), "16:05 UTC");
        assert!(now_secs() > 1_600_000_000);
    }
}
