//! The checker a view holds, and which of its jobs went out: one piece for
//! both views, whose effects run after renders that may follow several
//! actions (so an outbox is sent from where it was left, never twice).

use m13_app::checker::client::Checker;

#[derive(Default)]
pub struct CheckerSlot {
    checker: Option<Checker>,
    /// How many jobs of the outbox went to a checker.
    sent: usize,
    /// The replacement count last seen.
    restarts: u32,
}

impl CheckerSlot {
    /// The working checker and the jobs of `outbox` not sent yet (counted
    /// as sent). The checker is started by `start` when there is none, it
    /// stopped, or `restarts` changed (a stuck checker, or one busy with a
    /// list no longer wanted: dropping it terminates it). `None` when it
    /// cannot start: the jobs wait for the next try.
    pub fn next<'a, T>(
        &mut self,
        outbox: &'a [T],
        restarts: u32,
        start: impl FnOnce() -> Option<Checker>,
    ) -> Option<(&Checker, &'a [T])> {
        if restarts != self.restarts || !self.checker.as_ref().is_some_and(Checker::is_working) {
            self.restarts = restarts;
            self.checker = None;
            self.checker = start();
        }
        let checker = self.checker.as_ref()?;
        let new = outbox.get(self.sent..).unwrap_or_default();
        self.sent = outbox.len();
        Some((checker, new))
    }
}
