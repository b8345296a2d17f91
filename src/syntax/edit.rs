//! Text edits: replace a byte range with new text.
//!
//! An [`EditSet`] holds the edits of one file. Edits are kept sorted and must
//! be disjoint: adding an edit that overlaps another is an error that names
//! both (never a silent drop, never a panic). Two insertions at the same
//! offset are allowed and keep their insertion order.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Bound;

use rnix::{TextRange, TextSize};

/// Replace `range` of the original text with `insert`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub insert: String,
}

impl Edit {
    pub fn replace(range: TextRange, insert: impl Into<String>) -> Self {
        Edit {
            range,
            insert: insert.into(),
        }
    }
    pub fn delete(range: TextRange) -> Self {
        Edit::replace(range, "")
    }
    pub fn insert(at: TextSize, text: impl Into<String>) -> Self {
        Edit::replace(TextRange::empty(at), text)
    }
}

/// Two edits of one file that overlap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlap {
    pub first: TextRange,
    pub second: TextRange,
}

impl fmt::Display for Overlap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "overlapping edits at bytes {:?} and {:?}",
            self.first, self.second
        )
    }
}

/// The sorted, disjoint edits of one file, keyed by (start, end, order of
/// addition): adding one is logarithmic, whatever the order edits come in.
#[derive(Debug, Clone, Default)]
pub struct EditSet {
    edits: BTreeMap<(TextSize, TextSize, u64), Edit>,
    added: u64,
}

impl PartialEq for EditSet {
    fn eq(&self, other: &Self) -> bool {
        self.edits().eq(other.edits())
    }
}

impl Eq for EditSet {}

fn overlaps(a: TextRange, b: TextRange) -> bool {
    // Touching ranges do not overlap; an empty range inside another does.
    if a.is_empty() && b.is_empty() {
        return false;
    }
    a.start() < b.end() && b.start() < a.end()
        || (a.is_empty() && b.start() < a.start() && a.start() < b.end())
        || (b.is_empty() && a.start() < b.start() && b.start() < a.end())
}

impl EditSet {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        self.edits.is_empty()
    }

    /// The edits, sorted by range (insertions at one offset in the order
    /// they were added).
    pub fn edits(&self) -> impl Iterator<Item = &Edit> + '_ {
        self.edits.values()
    }

    /// Add an edit, keeping the set sorted; fails when it overlaps an existing edit.
    ///
    /// The set is sorted and disjoint, so only the two neighbours of the
    /// insertion point can overlap the new edit.
    pub fn add(&mut self, edit: Edit) -> Result<(), Overlap> {
        let (start, end) = (edit.range.start(), edit.range.end());
        let last_of_key = (start, end, u64::MAX);
        let before = self.edits.range(..=last_of_key).next_back();
        let after = self
            .edits
            .range((Bound::Excluded(last_of_key), Bound::Unbounded))
            .next();
        for (_, e) in before.into_iter().chain(after) {
            if overlaps(e.range, edit.range) {
                return Err(Overlap {
                    first: e.range,
                    second: edit.range,
                });
            }
        }
        self.added += 1;
        self.edits.insert((start, end, self.added), edit);
        Ok(())
    }

    /// Merge another set into this one; fails on the first overlap.
    pub fn merge(&mut self, other: EditSet) -> Result<(), Overlap> {
        for e in other.edits.into_values() {
            self.add(e)?;
        }
        Ok(())
    }

    /// Apply the edits to `text` (the text the ranges refer to).
    pub fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut pos = 0usize;
        for e in self.edits.values() {
            let start = usize::from(e.range.start());
            let end = usize::from(e.range.end());
            out.push_str(&text[pos..start]);
            out.push_str(&e.insert);
            pos = end;
        }
        out.push_str(&text[pos..]);
        out
    }
}

impl EditSet {
    /// Apply the edits inside `range` to the part of `text` that `range`
    /// covers; `text` starts at offset `base`. Edits outside `range` are ignored.
    pub fn apply_within(&self, text: &str, base: TextSize, range: TextRange) -> String {
        let base = usize::from(base);
        let (start, end) = (usize::from(range.start()), usize::from(range.end()));
        let mut out = String::new();
        let mut pos = start;
        // Only the edits starting inside `range` can lie inside it.
        let from = (range.start(), range.start(), 0);
        let inside = self
            .edits
            .range(from..)
            .map(|(_, e)| e)
            .take_while(|e| e.range.start() <= range.end())
            .filter(|e| range.contains_range(e.range));
        for e in inside {
            out.push_str(&text[pos - base..usize::from(e.range.start()) - base]);
            out.push_str(&e.insert);
            pos = usize::from(e.range.end());
        }
        out.push_str(&text[pos - base..end - base]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(a: u32, b: u32) -> TextRange {
        TextRange::new(a.into(), b.into())
    }

    #[test]
    fn applies_sorted_edits_in_any_insertion_order() {
        let mut set = EditSet::new();
        set.add(Edit::replace(r(6, 11), "there")).unwrap();
        set.add(Edit::replace(r(0, 5), "hi")).unwrap();
        set.add(Edit::insert(11.into(), "!")).unwrap();
        assert_eq!(set.apply("hello world"), "hi there!");
    }

    #[test]
    fn overlap_is_an_error_naming_both_ranges() {
        let mut set = EditSet::new();
        set.add(Edit::replace(r(2, 6), "x")).unwrap();
        let err = set.add(Edit::delete(r(5, 8))).unwrap_err();
        assert_eq!(
            err,
            Overlap {
                first: r(2, 6),
                second: r(5, 8)
            }
        );
        // an insertion strictly inside a replaced range also overlaps
        assert!(set.add(Edit::insert(4.into(), "y")).is_err());
        // touching is fine
        set.add(Edit::insert(6.into(), "z")).unwrap();
        set.add(Edit::delete(r(0, 2))).unwrap();
        assert_eq!(set.apply("abcdefgh"), "xzgh");
    }

    #[test]
    fn overlap_found_away_from_the_insertion_order() {
        let mut set = EditSet::new();
        set.add(Edit::insert(5.into(), "a")).unwrap();
        set.add(Edit::insert(5.into(), "b")).unwrap();
        set.add(Edit::replace(r(10, 12), "c")).unwrap();
        assert!(set.add(Edit::replace(r(3, 7), "x")).is_err());
        assert!(set.add(Edit::replace(r(11, 20), "x")).is_err());
        assert!(set.add(Edit::insert(11.into(), "x")).is_err());
        set.add(Edit::replace(r(6, 10), "d")).unwrap();
        assert_eq!(set.apply("0123456789abcdef"), "01234ab5dccdef");
    }

    #[test]
    fn two_insertions_at_one_offset_keep_their_order() {
        let mut set = EditSet::new();
        set.add(Edit::insert(1.into(), "1")).unwrap();
        set.add(Edit::insert(1.into(), "2")).unwrap();
        assert_eq!(set.apply("ab"), "a12b");
    }
}
