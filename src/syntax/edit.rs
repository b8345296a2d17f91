//! Text edits: replace a byte range with new text.
//!
//! An [`EditSet`] holds the edits of one file. Edits are kept sorted and must
//! be disjoint: adding an edit that overlaps another is an error that names
//! both (never a silent drop, never a panic). Two insertions at the same
//! offset are allowed and keep their insertion order.

use std::fmt;

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

/// The sorted, disjoint edits of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditSet {
    edits: Vec<Edit>,
}

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

    pub fn edits(&self) -> &[Edit] {
        &self.edits
    }

    /// Add an edit, keeping the set sorted; fails when it overlaps an existing edit.
    ///
    /// The set is sorted and disjoint, so only the two neighbours of the
    /// insertion point can overlap the new edit: this is a binary search, and
    /// adding edits in order appends.
    pub fn add(&mut self, edit: Edit) -> Result<(), Overlap> {
        let key = (edit.range.start(), edit.range.end());
        let pos = self
            .edits
            .partition_point(|e| (e.range.start(), e.range.end()) <= key);
        let neighbours = pos
            .checked_sub(1)
            .into_iter()
            .chain((pos < self.edits.len()).then_some(pos));
        for i in neighbours {
            if overlaps(self.edits[i].range, edit.range) {
                return Err(Overlap {
                    first: self.edits[i].range,
                    second: edit.range,
                });
            }
        }
        self.edits.insert(pos, edit);
        Ok(())
    }

    /// Merge another set into this one; fails on the first overlap.
    pub fn merge(&mut self, other: EditSet) -> Result<(), Overlap> {
        for e in other.edits {
            self.add(e)?;
        }
        Ok(())
    }

    /// Apply the edits to `text` (the text the ranges refer to).
    pub fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut pos = 0usize;
        for e in &self.edits {
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
        for e in self.edits.iter().filter(|e| range.contains_range(e.range)) {
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
