//! Stable sorting through one compiled copy of the standard sort.
//!
//! Why: `slice::sort_by_key` is generic, so every element type and key
//! closure compiles the whole standard sort again (driftsort, about 3.5 KB
//! of WebAssembly each). The web app ships every copy. These helpers sort a
//! list of indices with a `dyn` comparison, so the standard sort is compiled
//! once, and only the short permutation step is generic.

use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Sorts `items` by `key`, keeping the order of equal items.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` by `compare`, keeping the order of equal items.
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_order(items.len(), &|a, b| match (items.get(a), items.get(b)) {
        (Some(a), Some(b)) => compare(a, b),
        _ => Ordering::Equal,
    });
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    // `order` is a permutation of the indices: each slot is taken once.
    items.extend(order.into_iter().filter_map(|i| slots.get_mut(i).and_then(Option::take)));
}

/// Sorts `items` in their natural order, keeping the order of equal items.
pub fn sort<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp);
}

/// A map built one pair at a time (a later pair replaces an earlier one with
/// the same key, as with `collect`). Why: collecting into a `BTreeMap` sorts
/// the pairs first, another copy of the standard sort for every map type.
pub fn map_from<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(pairs);
    map
}

/// The indices `0..len` in the order `compare` gives: the one place the
/// standard (stable) sort is instantiated.
fn sorted_order(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_and_keeps_equal_items_in_order() {
        let mut items = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e')];
        sort_by_key(&mut items, |item| item.0);
        assert_eq!(items, vec![(0, 'd'), (1, 'b'), (1, 'e'), (2, 'a'), (2, 'c')]);
    }

    #[test]
    fn natural_order_and_empty_lists() {
        let mut words = vec!["pod", "deployment", "configmap"];
        sort(&mut words);
        assert_eq!(words, ["configmap", "deployment", "pod"]);
        let mut empty: Vec<u8> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
    }

    #[test]
    fn maps_keep_the_last_value_of_a_key() {
        let map = map_from([("b", 1), ("a", 2), ("b", 3)]);
        assert_eq!(map.into_iter().collect::<Vec<_>>(), [("a", 2), ("b", 3)]);
    }
}
