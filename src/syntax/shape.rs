//! Structural fingerprints of syntax subtrees, for finding copied code.
//!
//! A subtree's *shape* is the sequence of its significant tokens (kind and
//! text), with whitespace and comments left out and the text inside strings
//! compared line by line without indentation. Two subtrees with the same
//! shape are the same code however they are laid out or commented; the
//! similarity of two shapes (the share of tokens a longest common
//! subsequence matches) measures copies that were edited a little.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use rnix::{SyntaxKind, SyntaxNode, TextSize};

use super::LineIndex;

/// The significant tokens of `node`, each hashed from its kind and text.
pub fn shape(node: &SyntaxNode) -> Vec<u64> {
    node.descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .filter_map(|t| token_hash(t.kind(), t.text()))
        .collect()
}

/// A hash of `node`'s shape: equal for subtrees that differ only in layout
/// and comments.
pub fn fingerprint(node: &SyntaxNode) -> u64 {
    hash_slice(&shape(node))
}

/// The share of two shapes' tokens that a longest common subsequence
/// matches: 1.0 for equal shapes, 0.0 for shapes with nothing in common.
pub fn similarity(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a == b {
        return 1.0;
    }
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, a, b);
    f64::from(similar::get_diff_ratio(&ops, a.len(), b.len()))
}

fn token_hash(kind: SyntaxKind, text: &str) -> Option<u64> {
    if matches!(
        kind,
        SyntaxKind::TOKEN_WHITESPACE | SyntaxKind::TOKEN_COMMENT
    ) {
        return None;
    }
    let mut h = std::hash::DefaultHasher::new();
    kind.hash(&mut h);
    if kind == SyntaxKind::TOKEN_STRING_CONTENT {
        for line in text.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
            line.hash(&mut h);
        }
    } else {
        text.hash(&mut h);
    }
    Some(h.finish())
}

fn hash_slice(tokens: &[u64]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    tokens.hash(&mut h);
    h.finish()
}

/// What counts as a copy.
#[derive(Debug, Clone, Copy)]
pub struct CloneParams {
    /// A block must span at least this many lines.
    pub min_lines: usize,
    /// A block must have at least this many significant tokens.
    pub min_tokens: usize,
    /// Two blocks are copies when their [`similarity`] is at least this.
    pub min_similarity: f64,
    /// At most this many pairs are compared token by token; past it only
    /// exact copies are found (bounds the time on huge files).
    pub max_comparisons: usize,
}

impl Default for CloneParams {
    fn default() -> Self {
        CloneParams {
            min_lines: 5,
            min_tokens: 40,
            min_similarity: 0.9,
            max_comparisons: 250_000,
        }
    }
}

/// Blocks that are copies of each other.
#[derive(Debug, Clone)]
pub struct CloneGroup {
    /// The copies, in source order; none contains another.
    pub members: Vec<SyntaxNode>,
    /// The lowest similarity between two members that matched (1.0: exact copies).
    pub similarity: f64,
}

/// Node kinds that make a block: expressions that span lines.
fn is_block(node: &SyntaxNode) -> bool {
    use SyntaxKind::*;
    match node.kind() {
        NODE_ATTR_SET | NODE_LIST | NODE_LAMBDA | NODE_LET_IN | NODE_WITH | NODE_STRING
        | NODE_IF_ELSE => true,
        // `f a b` is `(f a) b`: only the whole application is a block.
        NODE_APPLY => !node
            .parent()
            .is_some_and(|p| p.kind() == NODE_APPLY && p.first_child().as_ref() == Some(node)),
        _ => false,
    }
}

/// Find the groups of copied blocks under `root`: blocks (attribute sets,
/// lists, functions, `let`, `with`, strings, conditionals, applications)
/// that `keep` accepts and that pass `params`' size thresholds, paired when
/// their shapes are similar enough. Only the largest copies are reported:
/// a pair inside a reported pair is not reported again.
pub fn clone_groups(
    root: &SyntaxNode,
    lines: &LineIndex,
    params: &CloneParams,
    keep: impl Fn(&SyntaxNode) -> bool,
) -> Vec<CloneGroup> {
    // Every significant token once, with its offset; a block is a slice.
    let mut starts: Vec<TextSize> = Vec::new();
    let mut hashes: Vec<u64> = Vec::new();
    for t in root
        .descendants_with_tokens()
        .filter_map(|e| e.into_token())
    {
        if let Some(h) = token_hash(t.kind(), t.text()) {
            starts.push(t.text_range().start());
            hashes.push(h);
        }
    }
    struct Block {
        node: SyntaxNode,
        lo: usize,
        hi: usize,
        print: u64,
    }
    let mut blocks: Vec<Block> = Vec::new();
    for node in root.descendants().filter(is_block) {
        let range = node.text_range();
        let (first, _) = lines.line_col(range.start());
        let (last, _) = lines.line_col(range.end());
        if last + 1 - first < params.min_lines {
            continue;
        }
        let lo = starts.partition_point(|s| *s < range.start());
        let hi = starts.partition_point(|s| *s < range.end());
        if hi - lo < params.min_tokens || !keep(&node) {
            continue;
        }
        blocks.push(Block {
            print: hash_slice(&hashes[lo..hi]),
            node,
            lo,
            hi,
        });
    }

    // Similar pairs, largest first.
    let nested = |a: &Block, b: &Block| {
        a.node.text_range().contains_range(b.node.text_range())
            || b.node.text_range().contains_range(a.node.text_range())
    };
    let mut pairs: Vec<(usize, usize, f64)> = Vec::new();
    let mut comparisons = 0usize;
    // Where the token-by-token budget ran out: past it, only exact copies
    // are found, through their fingerprints rather than by visiting every
    // remaining pair (which made this quadratic in the number of blocks).
    let mut stopped_at: Option<(usize, usize)> = None;
    'pairs: for i in 0..blocks.len() {
        for j in i + 1..blocks.len() {
            let (a, b) = (&blocks[i], &blocks[j]);
            if nested(a, b) {
                continue;
            }
            let (la, lb) = (a.hi - a.lo, b.hi - b.lo);
            if a.print == b.print && hashes[a.lo..a.hi] == hashes[b.lo..b.hi] {
                pairs.push((i, j, 1.0));
                continue;
            }
            // The ratio can be at most 2·min / (la + lb).
            let bound = 2.0 * la.min(lb) as f64 / (la + lb) as f64;
            if bound < params.min_similarity {
                continue;
            }
            if comparisons >= params.max_comparisons {
                stopped_at = Some((i, j));
                break 'pairs;
            }
            comparisons += 1;
            let s = similarity(&hashes[a.lo..a.hi], &hashes[b.lo..b.hi]);
            if s >= params.min_similarity {
                pairs.push((i, j, s));
            }
        }
    }
    if let Some(stop) = stopped_at {
        // The exact copies among the pairs not visited: (i, j) >= stop.
        let mut by_print: HashMap<u64, Vec<usize>> = HashMap::new();
        for (i, b) in blocks.iter().enumerate() {
            by_print.entry(b.print).or_default().push(i);
        }
        for members in by_print.values().filter(|m| m.len() > 1) {
            for (x, &i) in members.iter().enumerate() {
                for &j in &members[x + 1..] {
                    let (a, b) = (&blocks[i], &blocks[j]);
                    if (i, j) >= stop && !nested(a, b) && hashes[a.lo..a.hi] == hashes[b.lo..b.hi] {
                        pairs.push((i, j, 1.0));
                    }
                }
            }
        }
    }
    pairs.sort_by(|x, y| {
        let size = |p: &(usize, usize, f64)| {
            (blocks[p.0].hi - blocks[p.0].lo) + (blocks[p.1].hi - blocks[p.1].lo)
        };
        size(y)
            .cmp(&size(x))
            .then(x.0.cmp(&y.0))
            .then(x.1.cmp(&y.1))
    });
    let inside = |inner: usize, outer: usize| {
        blocks[outer]
            .node
            .text_range()
            .contains_range(blocks[inner].node.text_range())
    };
    let mut accepted: Vec<(usize, usize, f64)> = Vec::new();
    for (i, j, s) in pairs {
        let covered = accepted
            .iter()
            .any(|&(a, b, _)| (inside(i, a) && inside(j, b)) || (inside(i, b) && inside(j, a)));
        if !covered {
            accepted.push((i, j, s));
        }
    }

    // Union the accepted pairs into groups.
    let mut parent: HashMap<usize, usize> = HashMap::new();
    fn find(parent: &mut HashMap<usize, usize>, x: usize) -> usize {
        let mut root = x;
        while let Some(&p) = parent.get(&root) {
            if p == root {
                break;
            }
            root = p;
        }
        parent.insert(x, root);
        root
    }
    for &(i, j, _) in &accepted {
        let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
        parent.insert(ri, ri);
        parent.insert(rj, ri);
    }
    let mut groups: HashMap<usize, (Vec<usize>, f64)> = HashMap::new();
    for &(i, j, s) in &accepted {
        let r = find(&mut parent, i);
        let g = groups.entry(r).or_insert_with(|| (Vec::new(), 1.0));
        for m in [i, j] {
            if !g.0.contains(&m) {
                g.0.push(m);
            }
        }
        g.1 = g.1.min(s);
    }
    let mut out: Vec<CloneGroup> = groups
        .into_values()
        .map(|(mut members, similarity)| {
            members.sort_by_key(|&m| blocks[m].node.text_range().start());
            CloneGroup {
                members: members.iter().map(|&m| blocks[m].node.clone()).collect(),
                similarity,
            }
        })
        .collect();
    out.sort_by_key(|g| g.members.first().map(|m| m.text_range().start()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(src: &str) -> SyntaxNode {
        rnix::Root::parse(src).syntax()
    }

    #[test]
    fn layout_and_comments_do_not_change_the_fingerprint() {
        let a = root("{ a = 1; b = [ 1 2 ]; s = ''\n    x\n  ''; }");
        let b = root(
            "{\n  # why\n  a = 1;\n  b = [\n    1\n    2\n  ];\n  s = ''\n        x\n      '';\n}",
        );
        let c = root("{ a = 1; b = [ 1 3 ]; s = ''\n    x\n  ''; }");
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&c));
        let s = similarity(&shape(&a), &shape(&c));
        assert!(s > 0.9 && s < 1.0, "{s}");
        assert_eq!(similarity(&[], &[]), 1.0);
    }

    #[test]
    fn finds_the_largest_copies_only() {
        let block = |extra: &str| {
            format!(
                "{{\n  services.a = {{\n    enable = true;\n    port = 80;\n  }};\n  users.x = {{\n    name = \"x\";\n    groups = [ \"a\" \"b\" ];\n  }};{extra}\n}}"
            )
        };
        let src = format!(
            "[\n{}\n{}\n{}\n{{ small = 1; }}\n]",
            block(""),
            block(" # a comment\n"),
            block("\n  extra = 1;")
        );
        let r = root(&src);
        let lines = LineIndex::new(&src);
        let params = CloneParams {
            min_tokens: 20,
            ..CloneParams::default()
        };
        let groups = clone_groups(&r, &lines, &params, |_| true);
        assert_eq!(groups.len(), 1, "{groups:?}");
        let g = &groups[0];
        assert_eq!(g.members.len(), 3);
        assert!(g.similarity < 1.0 && g.similarity >= 0.9);
        // Excluding the blocks leaves no smaller copies of their parts above the thresholds.
        let none = clone_groups(&r, &lines, &params, |n| {
            n.kind() != SyntaxKind::NODE_ATTR_SET
        });
        assert!(none.is_empty(), "{none:?}");
        // Raising the similarity bar keeps the two exact copies only.
        let exact = clone_groups(
            &r,
            &lines,
            &CloneParams {
                min_similarity: 1.0,
                ..params
            },
            |_| true,
        );
        assert_eq!(exact.len(), 1);
        assert_eq!(exact[0].members.len(), 2);
        assert_eq!(exact[0].similarity, 1.0);
    }
}
