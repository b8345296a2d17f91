//! Git-style unified diffs of a run's changes, optionally coloured.
//!
//! The output is accepted by `git apply` and `patch -p1`.

use std::fmt::Write as _;
use std::path::Path;

use std::collections::HashSet;

use similar::DiffOp;

use crate::workspace::FileChange;

const BOLD: &str = "\x1b[1m";
const CYAN: &str = "\x1b[36m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const RESET: &str = "\x1b[m";

/// Lines of unchanged context around each hunk.
const CONTEXT: usize = 3;

/// When to colour the diff, as chosen by the user (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Whether to colour output for `choice`, given whether the output stream is
/// a terminal. `Auto` honours <https://no-color.org>: a non-empty `NO_COLOR`
/// environment variable disables colour.
pub fn color_enabled(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// A git-style unified diff of `changes`, in the order given, with 3 lines of
/// context. Changes whose old and new contents are equal produce nothing.
/// With `color`, lines carry ANSI colours like `git diff --color`; without it
/// the output contains no escape codes.
pub fn unified_diff(changes: &[FileChange], color: bool) -> String {
    let mut out = Out {
        buf: String::new(),
        color,
    };
    for change in changes {
        file_diff(&mut out, change);
    }
    out.buf
}

struct Out {
    buf: String,
    color: bool,
}

impl Out {
    /// Append `text` (without its line terminator) as one line in colour `style`.
    fn line(&mut self, style: &str, text: &str) {
        if self.color && !style.is_empty() {
            self.buf.push_str(style);
            self.buf.push_str(text);
            self.buf.push_str(RESET);
        } else {
            self.buf.push_str(text);
        }
        self.buf.push('\n');
    }
}

fn file_diff(out: &mut Out, change: &FileChange) {
    let old = change.old.as_deref();
    let new = change.new.as_deref();
    if old == new {
        return;
    }
    let a = quote_path("a/", &change.path);
    let b = quote_path("b/", &change.path);
    let old_lines = split_lines(old.unwrap_or(""));
    let new_lines = split_lines(new.unwrap_or(""));

    out.line(BOLD, &format!("diff --git {a} {b}"));
    match (old, new) {
        (None, _) => out.line(BOLD, "new file mode 100644"),
        (_, None) => out.line(BOLD, "deleted file mode 100644"),
        _ => {}
    }
    if old_lines.is_empty() && new_lines.is_empty() {
        // An empty file created or deleted: like git, a header without hunks.
        return;
    }
    let tab = |name: &str| if name.contains(' ') { "\t" } else { "" };
    let from = if old.is_some() { a } else { "/dev/null".into() };
    let to = if new.is_some() { b } else { "/dev/null".into() };
    out.line(BOLD, &format!("--- {from}{}", tab(&from)));
    out.line(BOLD, &format!("+++ {to}{}", tab(&to)));

    for group in similar::group_diff_ops(line_ops(&old_lines, &new_lines), CONTEXT) {
        out.line(
            CYAN,
            &similar::udiff::UnifiedHunkHeader::new(&group).to_string(),
        );
        for op in &group {
            for change in op.iter_changes(&old_lines, &new_lines) {
                let (sign, style) = match change.tag() {
                    similar::ChangeTag::Equal => (' ', ""),
                    similar::ChangeTag::Delete => ('-', RED),
                    similar::ChangeTag::Insert => ('+', GREEN),
                };
                let value = change.value();
                let text = value.strip_suffix('\n');
                let mut line = String::with_capacity(value.len() + 1);
                line.push(sign);
                line.push_str(text.unwrap_or(value));
                out.line(style, &line);
                if text.is_none() {
                    out.line("", "\\ No newline at end of file");
                }
            }
        }
    }
}

/// Above this many lines (old plus new), lines found on one side only are
/// set aside before Myers runs (see [`line_ops`]).
const LARGE: usize = 3000;

/// The line operations that turn `old` into `new`.
///
/// For files up to [`LARGE`] lines this is plain Myers, whose tie-breaking
/// keeps new lines next to the lines they replace. Above it, Myers runs only
/// over the lines that occur on both sides: a line found on one side only
/// can never be part of a longest common subsequence, so leaving those lines
/// out first keeps the diff minimal (as GNU diff does), and the common case
/// of a codemod, a large block replaced by a line or two, stays linear where
/// Myers alone is quadratic in the size of the block. The price is that
/// inserted lines may be placed less close to what they replace.
fn line_ops(old: &[&str], new: &[&str]) -> Vec<DiffOp> {
    if old.len() + new.len() <= LARGE {
        return similar::capture_diff_slices(similar::Algorithm::Myers, old, new);
    }
    let in_old: HashSet<&str> = old.iter().copied().collect();
    let in_new: HashSet<&str> = new.iter().copied().collect();
    let old_keep: Vec<usize> = (0..old.len())
        .filter(|&i| in_new.contains(old[i]))
        .collect();
    let new_keep: Vec<usize> = (0..new.len())
        .filter(|&j| in_old.contains(new[j]))
        .collect();
    let a: Vec<&str> = old_keep.iter().map(|&i| old[i]).collect();
    let b: Vec<&str> = new_keep.iter().map(|&j| new[j]).collect();

    // The matched lines, as (old index, new index) of the full sequences.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            pairs.extend((0..len).map(|k| (old_keep[old_index + k], new_keep[new_index + k])));
        }
    }

    // Between matched runs, what is left of old is deleted and of new inserted.
    let mut ops = Vec::new();
    let (mut i, mut j, mut k) = (0, 0, 0);
    loop {
        let (pi, pj) = pairs.get(k).copied().unwrap_or((old.len(), new.len()));
        if pi > i {
            ops.push(DiffOp::Delete {
                old_index: i,
                old_len: pi - i,
                new_index: j,
            });
        }
        if pj > j {
            ops.push(DiffOp::Insert {
                old_index: pi,
                new_index: j,
                new_len: pj - j,
            });
        }
        if k == pairs.len() {
            return ops;
        }
        let mut len = 1;
        while pairs.get(k + len) == Some(&(pi + len, pj + len)) {
            len += 1;
        }
        ops.push(DiffOp::Equal {
            old_index: pi,
            new_index: pj,
            len,
        });
        (i, j, k) = (pi + len, pj + len, k + len);
    }
}

/// Split into lines the way git does: only `\n` ends a line, and it stays
/// part of the line. (`similar`'s own line splitting also breaks at a lone
/// `\r`, which git does not, so it would produce patches git rejects.)
fn split_lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// `prefix` + `path`, C-quoted like git when the path contains a quote, a
/// backslash or a control character.
fn quote_path(prefix: &str, path: &Path) -> String {
    let name = format!("{prefix}{}", path.to_string_lossy());
    if !name
        .chars()
        .any(|c| c == '"' || c == '\\' || c.is_ascii_control())
    {
        return name;
    }
    let mut quoted = String::from("\"");
    for c in name.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\t' => quoted.push_str("\\t"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            c if c.is_ascii_control() => {
                let _ = write!(quoted, "\\{:03o}", c as u32);
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;
    use std::path::PathBuf;
    use std::process::{Command, Stdio};

    fn change(path: &str, old: Option<&str>, new: Option<&str>) -> FileChange {
        FileChange {
            path: PathBuf::from(path),
            old: old.map(String::from),
            new: new.map(String::from),
        }
    }

    fn run_with_stdin(dir: &Path, program: &str, args: &[&str], input: &str) {
        let mut child = Command::new(program)
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
        let output = child.wait_with_output().expect("wait");
        assert!(
            output.status.success(),
            "{program} {args:?} failed: {}\n--- patch ---\n{input}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Writes the old files into a fresh git repo, applies the diff with
    /// `git apply` (after `--check`), and checks the result equals `new`;
    /// then does the same with `patch -p1` in a plain directory.
    fn assert_applies(changes: &[FileChange]) {
        let patch = unified_diff(changes, false);
        for tool in ["git", "patch"] {
            let dir = tempfile::tempdir().expect("tempdir");
            for c in changes {
                if let Some(old) = &c.old {
                    let p = dir.path().join(&c.path);
                    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
                    std::fs::write(&p, old).expect("write old");
                }
            }
            if tool == "git" {
                let status = Command::new("git")
                    .args(["init", "-q"])
                    .current_dir(dir.path())
                    .status()
                    .expect("git init");
                assert!(status.success());
                run_with_stdin(dir.path(), "git", &["apply", "--check"], &patch);
                run_with_stdin(dir.path(), "git", &["apply"], &patch);
            } else {
                run_with_stdin(dir.path(), "patch", &["-p1", "-s", "-f"], &patch);
            }
            for c in changes {
                let p = dir.path().join(&c.path);
                match &c.new {
                    Some(new) => assert_eq!(
                        std::fs::read_to_string(&p).expect("read new").as_str(),
                        new,
                        "{tool}: {}",
                        c.path.display()
                    ),
                    None => assert!(!p.exists(), "{tool}: {} not deleted", c.path.display()),
                }
            }
        }
    }

    #[test]
    fn large_files_are_diffed_minimally_and_apply() {
        // A large block replaced by one line, and a few edits around it.
        let mut old = String::new();
        for i in 0..4000 {
            old.push_str(&format!("  line {i} = {};\n", i % 7));
        }
        let new = old
            .replacen("  line 10 = 3;\n", "  line ten = 3;\n", 1)
            .replace(
                &old[old.find("  line 100 ").unwrap()..old.find("  line 3900 ").unwrap()],
                "  block = import ./block;\n",
            );
        let old_lines = split_lines(&old);
        let new_lines = split_lines(&new);
        let ops = line_ops(&old_lines, &new_lines);
        let plain = similar::capture_diff_slices(similar::Algorithm::Myers, &old_lines, &new_lines);
        let kept = |ops: &[DiffOp]| -> usize {
            ops.iter()
                .map(|o| {
                    if let DiffOp::Equal { len, .. } = o {
                        *len
                    } else {
                        0
                    }
                })
                .sum()
        };
        assert_eq!(
            kept(&ops),
            kept(&plain),
            "the reduction must keep the diff minimal"
        );
        let mut rebuilt = String::new();
        for op in &ops {
            for c in op.iter_changes(&old_lines, &new_lines) {
                if c.tag() != similar::ChangeTag::Delete {
                    rebuilt.push_str(c.value());
                }
            }
        }
        assert_eq!(rebuilt, new);
    }

    #[test]
    fn created_file() {
        let c = change("flake.nix", None, Some("{\n  outputs = _: { };\n}\n"));
        let d = unified_diff(std::slice::from_ref(&c), false);
        assert_eq!(
            d,
            "diff --git a/flake.nix b/flake.nix\nnew file mode 100644\n--- /dev/null\n\
             +++ b/flake.nix\n@@ -0,0 +1,3 @@\n+{\n+  outputs = _: { };\n+}\n"
        );
        assert_applies(&[c]);
    }

    #[test]
    fn created_empty_file() {
        let c = change("empty.nix", None, Some(""));
        let d = unified_diff(std::slice::from_ref(&c), false);
        assert_eq!(
            d,
            "diff --git a/empty.nix b/empty.nix\nnew file mode 100644\n"
        );
        assert_applies(&[c, change("other", Some("x\n"), Some("y\n"))]);
    }

    #[test]
    fn deleted_file() {
        let c = change("old.nix", Some("a\nb\n"), None);
        let d = unified_diff(std::slice::from_ref(&c), false);
        assert!(d.contains("deleted file mode 100644\n--- a/old.nix\n+++ /dev/null\n"));
        assert_applies(&[c]);
    }

    #[test]
    fn deleted_empty_file() {
        assert_applies(&[change("empty", Some(""), None)]);
    }

    #[test]
    fn modified_file() {
        let old: String = (1..=20).map(|i| format!("line {i}\n")).collect();
        let new = old
            .replace("line 2\n", "line two\n")
            .replace("line 15\n", "")
            .replace("line 20\n", "line 20\nline 21\n");
        let c = change("lib/default.nix", Some(&old), Some(&new));
        let d = unified_diff(std::slice::from_ref(&c), false);
        assert!(d.starts_with("diff --git a/lib/default.nix b/lib/default.nix\n--- a/lib/default.nix\n+++ b/lib/default.nix\n@@ -1,5 +1,5 @@\n"));
        assert!(!d.contains("mode"));
        assert_applies(&[c]);
    }

    #[test]
    fn missing_newline_in_old() {
        assert_applies(&[change("a", Some("x\ny"), Some("x\ny\n"))]);
        assert_applies(&[change("b", Some("x\ny"), Some("x\nz"))]);
        assert_applies(&[change("c", Some("x"), None)]);
    }

    #[test]
    fn missing_newline_in_new() {
        let c = change("a", Some("x\ny\n"), Some("x\ny"));
        let d = unified_diff(std::slice::from_ref(&c), false);
        assert!(d.ends_with("-y\n+y\n\\ No newline at end of file\n"), "{d}");
        assert_applies(&[c]);
        assert_applies(&[change("b", None, Some("only"))]);
    }

    #[test]
    fn missing_newline_in_both_with_context() {
        let old = "1\n2\n3\n4\n5\n6\nend";
        let new = "1\n2\n3\nfour\n5\n6\nend";
        let c = change("a", Some(old), Some(new));
        let d = unified_diff(std::slice::from_ref(&c), false);
        assert!(d.ends_with(" end\n\\ No newline at end of file\n"), "{d}");
        assert_applies(&[c]);
    }

    #[test]
    fn lone_carriage_return_is_not_a_line_break() {
        assert_applies(&[change("a", Some("x\ry\nz\n"), Some("x\ry\nw\n"))]);
    }

    #[test]
    fn existing_empty_file_gains_or_loses_content() {
        assert_applies(&[
            change("a", Some(""), Some("x\n")),
            change("b", Some("y\n"), Some("")),
            change("c", Some(""), Some("z")),
        ]);
    }

    #[test]
    fn file_in_subdirectory_and_several_files() {
        assert_applies(&[
            change("nix/modules/a.nix", Some("{ }\n"), Some("{ x = 1; }\n")),
            change("nix/new/b.nix", None, Some("b\n")),
            change("top.nix", Some("gone\n"), None),
        ]);
    }

    #[test]
    fn path_with_space_and_quote() {
        assert_applies(&[
            change("dir with space/f.nix", Some("a\n"), Some("b\n")),
            change("q\"uote.nix", None, Some("c\n")),
        ]);
    }

    #[test]
    fn unchanged_file_produces_nothing() {
        assert_eq!(
            unified_diff(&[change("a", Some("x\n"), Some("x\n"))], true),
            ""
        );
    }

    #[test]
    fn colour() {
        let changes = [
            change("a.nix", Some("1\n2\n3\n"), Some("1\ntwo\n3\n")),
            change("b.nix", None, Some("b")),
        ];
        let plain = unified_diff(&changes, false);
        assert!(!plain.contains('\x1b'));
        let coloured = unified_diff(&changes, true);
        assert!(coloured.contains("\x1b[1mdiff --git a/a.nix b/a.nix\x1b[m\n"));
        assert!(coloured.contains("\x1b[1m--- a/a.nix\x1b[m\n"));
        assert!(coloured.contains("\x1b[1mnew file mode 100644\x1b[m\n"));
        assert!(coloured.contains("\x1b[36m@@ -1,3 +1,3 @@\x1b[m\n"));
        assert!(coloured.contains("\x1b[31m-2\x1b[m\n\x1b[32m+two\x1b[m\n"));
        assert!(coloured.contains("\n 1\n"));
        assert!(coloured.contains("\x1b[32m+b\x1b[m\n\\ No newline at end of file\n"));
        for line in coloured.lines().filter(|l| l.contains('\x1b')) {
            assert!(line.ends_with(RESET), "{line:?}");
        }
        // Without the escape codes, the coloured diff is the plain one.
        let stripped = coloured
            .replace(BOLD, "")
            .replace(CYAN, "")
            .replace(RED, "")
            .replace(GREEN, "")
            .replace(RESET, "");
        assert_eq!(stripped, plain);
    }

    #[test]
    fn colour_choice() {
        assert!(color_enabled(ColorChoice::Always, false));
        assert!(!color_enabled(ColorChoice::Never, true));
        assert!(!color_enabled(ColorChoice::Auto, false));
        // The NO_COLOR part of `Auto` reads the process environment, which
        // tests must not mutate concurrently; check it against the real value.
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        assert_eq!(color_enabled(ColorChoice::Auto, true), !no_color);
    }
}
