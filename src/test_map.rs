//! The tests of one day or window of a group: one slot per [`TestId`], kept in the order of the
//! ids' texts, so the map lists its tests alphabetically as a `BTreeMap` did (the documented
//! JSON), in one allocation.
//!
//! A study holds one such map for each day and window of every group: at 5,000 events with one
//! group per ticker, 50,000 maps of 11 to 17 tests. As `BTreeMap`s a window's took three node
//! allocations; each map is now one.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::codes::TestId;
use crate::stats::TestOutcome;

/// A map from [`TestId`] to [`TestOutcome`], iterated in the order of the ids' texts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TestMap {
    /// The outcome of the test of each rank ([`TestId::rank`]), if it was run. Boxed: the
    /// days and windows of a group then stay small, and a study's maps are allocations of one
    /// size, which the allocator packs together.
    slots: Box<[Option<TestOutcome>; TestId::COUNT]>,
}

impl TestMap {
    /// An empty map.
    pub fn new() -> TestMap {
        TestMap::default()
    }

    /// Sets the outcome of `id`, returning the one it replaces.
    pub fn insert(&mut self, id: TestId, outcome: TestOutcome) -> Option<TestOutcome> {
        self.slots[id.rank()].replace(outcome)
    }

    /// The outcome of `id`, if it was run.
    pub fn get(&self, id: &TestId) -> Option<&TestOutcome> {
        self.slots[id.rank()].as_ref()
    }

    /// The outcome of `id`, to change, if it was run.
    pub fn get_mut(&mut self, id: &TestId) -> Option<&mut TestOutcome> {
        self.slots[id.rank()].as_mut()
    }

    /// Whether `id` was run.
    pub fn contains_key(&self, id: &TestId) -> bool {
        self.get(id).is_some()
    }

    /// The tests run, in the order of their texts.
    pub fn iter(&self) -> Iter<'_> {
        Iter { ids: TestId::BY_TEXT.iter(), slots: self.slots.iter() }
    }

    /// The ids of the tests run, in the order of their texts.
    pub fn keys(&self) -> impl Iterator<Item = &TestId> {
        self.iter().map(|(id, _)| id)
    }

    /// The outcomes, in the order of their tests' texts.
    pub fn values(&self) -> impl Iterator<Item = &TestOutcome> {
        self.slots.iter().flatten()
    }

    /// How many tests were run.
    pub fn len(&self) -> usize {
        self.values().count()
    }

    /// Whether no test was run.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl std::ops::Index<&TestId> for TestMap {
    type Output = TestOutcome;
    fn index(&self, id: &TestId) -> &TestOutcome {
        self.get(id).unwrap_or_else(|| panic!("no test {id} in the map"))
    }
}

/// The tests of a [`TestMap`] with their outcomes, in the order of their texts.
pub struct Iter<'a> {
    ids: std::slice::Iter<'static, TestId>,
    slots: std::slice::Iter<'a, Option<TestOutcome>>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a TestId, &'a TestOutcome);
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (id, slot) = (self.ids.next()?, self.slots.next()?);
            if let Some(outcome) = slot {
                return Some((id, outcome));
            }
        }
    }
}

impl<'a> IntoIterator for &'a TestMap {
    type Item = (&'a TestId, &'a TestOutcome);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl FromIterator<(TestId, TestOutcome)> for TestMap {
    fn from_iter<I: IntoIterator<Item = (TestId, TestOutcome)>>(iter: I) -> TestMap {
        let mut m = TestMap::new();
        for (id, o) in iter {
            m.insert(id, o);
        }
        m
    }
}

/// A JSON object of the tests run, in the order of their texts, as a `BTreeMap` writes it.
impl Serialize for TestMap {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.len()))?;
        for (id, o) in self.iter() {
            m.serialize_entry(id, o)?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn outcome(i: usize) -> TestOutcome {
        TestOutcome::new(i as f64 + 0.5, 1.0 / (i as f64 + 2.0), crate::stats::named("t", i as u64))
    }

    /// Any set of tests, inserted in any order (some twice), gives the entries, lookups, JSON
    /// and replaced values of a `BTreeMap` filled the same way.
    #[test]
    fn behaves_as_the_btree_map_it_replaces() {
        let n = TestId::COUNT;
        for seed in 0..500u64 {
            let (mut ours, mut want) = (TestMap::new(), BTreeMap::new());
            let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            for step in 0..(seed as usize % (2 * n)) {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let id = TestId::ALL[(x >> 33) as usize % n];
                assert_eq!(ours.insert(id, outcome(step)), want.insert(id, outcome(step)));
            }
            assert!(ours.iter().eq(want.iter()), "seed {seed}");
            assert!(ours.keys().eq(want.keys()) && ours.values().eq(want.values()));
            assert_eq!((ours.len(), ours.is_empty()), (want.len(), want.is_empty()));
            for id in TestId::ALL {
                assert_eq!(ours.get(id), want.get(id));
                assert_eq!(ours.contains_key(id), want.contains_key(id));
            }
            assert_eq!(serde_json::to_string(&ours).unwrap(), serde_json::to_string(&want).unwrap());
            assert_eq!(ours, want.clone().into_iter().collect::<TestMap>());
        }
    }

    #[test]
    fn get_mut_changes_the_outcome_in_place() {
        let mut m = TestMap::new();
        m.insert(TestId::SignZ, outcome(1));
        m.get_mut(&TestId::SignZ).unwrap().p_adj = Some(0.25);
        assert_eq!(m[&TestId::SignZ].p_adj, Some(0.25));
        assert!(m.get_mut(&TestId::CsectT).is_none());
    }
}
