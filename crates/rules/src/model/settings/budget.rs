//! The work one evaluation of the settings may do. Every expression
//! evaluated, every item and every 8 bytes of text a value builds, copies
//! or compares, and every environment lookup costs steps, charged before
//! the work is done. When the steps run out, what is left to evaluate
//! becomes unknown. What a value holds was paid for when it was built, so
//! the steps bound the memory the values take as well as the time.

use super::value::Size;
use crate::shown;

/// Steps one settings module (with the modules it imports) may take. A
/// real one takes a few thousand; a megabyte of ordinary settings, about
/// 330,000. Spent in full, they cost a few milliseconds and megabytes.
pub const MAX_STEPS: u64 = 1_000_000;
/// Steps per item or entry built, copied or compared.
const ITEM_STEPS: u64 = 4;
/// Bytes of text built, copied or compared per step.
const BYTES_PER_STEP: u64 = 8;

/// The steps of `bytes` of text: one per 8 bytes, at least one.
pub fn text_steps(bytes: usize) -> u64 {
    bytes as u64 / BYTES_PER_STEP + 1
}

/// The steps of `items` items or entries, at least one.
pub fn item_steps(items: usize) -> u64 {
    (items as u64).saturating_mul(ITEM_STEPS).saturating_add(1)
}

/// The steps of walking a value of this size once (comparing, rendering).
pub fn size_steps(size: Size) -> u64 {
    item_steps(size.items).saturating_add(text_steps(size.text))
}

#[derive(Debug, Clone)]
pub struct Budget {
    left: u64,
    exhausted: bool,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget { left: MAX_STEPS, exhausted: false }
    }
}

impl Budget {
    /// Takes `steps`; false (and nothing taken) when fewer are left, after
    /// which every charge fails.
    pub fn charge(&mut self, steps: u64) -> bool {
        match self.left.checked_sub(steps) {
            Some(left) if !self.exhausted => {
                self.left = left;
                true
            }
            _ => {
                self.exhausted = true;
                false
            }
        }
    }

    pub fn exhausted(&self) -> bool {
        self.exhausted
    }

    /// Why values are unknown once the steps ran out.
    pub fn reason() -> String {
        format!("settings that take more than {} steps to evaluate", shown::thousands(MAX_STEPS as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_charge_over_what_is_left_empties_the_budget() {
        let mut budget = Budget::default();
        assert!(budget.charge(MAX_STEPS - 1));
        assert!(!budget.exhausted());
        assert!(!budget.charge(2));
        assert!(budget.exhausted());
        assert!(!budget.charge(0));
        assert_eq!(Budget::reason(), "settings that take more than 1,000,000 steps to evaluate");
    }
}
