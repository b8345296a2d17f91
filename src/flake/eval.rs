//! Following values across files: a static, lazy look-through of Nix
//! expressions. Nothing is evaluated; an expression is looked through as far
//! as its syntax allows:
//!
//! - names to their `let`, `rec` or `inherit` definitions, in any file;
//! - function parameters to the arguments of the call that entered the
//!   function (attribute-set formals with defaults, curried positional
//!   parameters, partial application, `@` names, `//` on arguments);
//! - `import ./file args` to the file's expression, applied;
//! - selections (`self.lib.mkSystem`, `inputs.x.y`), `//` merges and `++`.
//!
//! Values are [`Val`]s: a node of one file of the flake's program (flake.nix
//! and the files it imports) with an [`Env`] that binds the parameters of
//! the functions entered on the way. Whatever cannot be followed is an
//! [`Unknown`] with its place and reason, never a guess.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use rnix::{SyntaxKind, SyntaxNode, TextRange};

use crate::error::Location;
use crate::scope::{BinderKind, ScopeIndex};
use crate::syntax::{self, attr_value, static_attr_name, unparen, ParsedFile};
use crate::workspace::SharedReader;

use super::Flake;

/// A file of the flake's program: 0 is flake.nix, others are loaded when an
/// `import` reaches them (each read and parsed once).
pub type FileId = usize;

/// A parsed program file with its scope index.
pub struct Src {
    pub path: PathBuf,
    pub file: ParsedFile,
    pub scope: ScopeIndex,
}

/// The program files other than flake.nix, loaded on demand.
pub struct Program {
    reader: SharedReader,
    files: RefCell<Vec<Rc<Src>>>,
    /// Requested path -> file id, or why it cannot be loaded.
    by_path: RefCell<HashMap<PathBuf, Result<FileId, String>>>,
}

impl Program {
    pub(super) fn new(reader: SharedReader) -> Program {
        Program {
            reader,
            files: RefCell::new(Vec::new()),
            by_path: RefCell::new(HashMap::new()),
        }
    }
}

/// A view of one program file.
pub enum SrcRef<'a> {
    Main(&'a Flake),
    Other(Rc<Src>),
}

impl SrcRef<'_> {
    pub fn path(&self) -> &Path {
        match self {
            SrcRef::Main(f) => &f.path,
            SrcRef::Other(s) => &s.path,
        }
    }
    pub fn file(&self) -> &ParsedFile {
        match self {
            SrcRef::Main(f) => &f.file,
            SrcRef::Other(s) => &s.file,
        }
    }
    pub fn scope(&self) -> &ScopeIndex {
        match self {
            SrcRef::Main(f) => &f.scope,
            SrcRef::Other(s) => &s.scope,
        }
    }
    pub fn location(&self, range: TextRange) -> Location {
        self.file().lines.location(self.path(), range.start())
    }
    pub fn dir(&self) -> PathBuf {
        self.path()
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }
}

/// An expression of a program file, with the arguments of the functions
/// entered to reach it.
#[derive(Clone, Debug)]
pub struct Val {
    pub file: FileId,
    pub node: SyntaxNode,
    pub env: Env,
}

/// Bindings of function parameters: a persistent list, innermost first.
#[derive(Clone, Debug, Default)]
pub struct Env(Option<Rc<Frame>>);

#[derive(Debug)]
struct Frame {
    /// The lambda whose parameter this binds (file, range of `NODE_LAMBDA`).
    lambda: (FileId, TextRange),
    arg: Arg,
    parent: Env,
}

/// What a parameter is bound to.
#[derive(Clone, Debug)]
pub enum Arg {
    Val(Val),
    /// A string the model supplies itself (a generator's key, say).
    Str(String),
    /// A value only evaluation knows (each system of a per-system
    /// generator, the argument of a helper nobody calls): why.
    Opaque(String),
    /// The module arguments flake-parts passes to its modules: `inputs` and
    /// `self` are the flake's; the rest is known only at evaluation time.
    ModuleArgs,
}

impl Env {
    fn bind(&self, lambda: (FileId, TextRange), arg: Arg) -> Env {
        Env(Some(Rc::new(Frame {
            lambda,
            arg,
            parent: self.clone(),
        })))
    }

    fn lookup(&self, lambda: (FileId, TextRange)) -> Option<&Arg> {
        let mut env = self;
        while let Some(frame) = &env.0 {
            if frame.lambda == lambda {
                return Some(&frame.arg);
            }
            env = &frame.parent;
        }
        None
    }
}

/// Where a value comes from outside the program: the flake's inputs
/// (including `self`), or a builtin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Root {
    /// The whole inputs set (`inputs` in `outputs = inputs: ...`).
    Inputs,
    /// One input, or `self`.
    Input(String),
    /// A builtin or other unbound name (`builtins`, `import`, `map`...).
    Global(String),
}

/// A value from outside the program, with the attributes selected from it:
/// `nixpkgs.lib.nixosSystem` is `Input("nixpkgs")` with `["lib", "nixosSystem"]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct External {
    pub root: Root,
    pub path: Vec<String>,
}

impl External {
    /// The last selected name, or the root's name.
    pub fn last(&self) -> Option<&str> {
        match (self.path.last(), &self.root) {
            (Some(l), _) => Some(l),
            (None, Root::Input(n) | Root::Global(n)) => Some(n),
            (None, Root::Inputs) => None,
        }
    }

    /// `builtins.x` or the global `x` itself.
    pub fn is_builtin(&self, name: &str) -> bool {
        match (&self.root, self.path.as_slice()) {
            (Root::Global(g), []) => g == name,
            (Root::Global(g), [n]) => g == "builtins" && n == name,
            _ => false,
        }
    }

    /// `lib.X`, `nixpkgs.lib.X`, `builtins.X`, or `X` from a `with`: the
    /// library function named `name`, reached any usual way.
    pub fn is_function(&self, name: &str) -> bool {
        self.last() == Some(name)
    }
}

/// Why a value could not be followed, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unknown {
    pub file: FileId,
    pub range: TextRange,
    pub why: String,
}

/// An attribute set as a list of parts, later parts taking precedence (`//`).
#[derive(Clone, Debug)]
pub enum Part {
    /// The attributes of an attribute set (or `let`) below `prefix`
    /// (`a.b = 1; a.c = 2;` seen from `a` has prefix `["a"]`).
    Set { set: Val, prefix: Vec<String> },
    /// An operand that is not known to be a set.
    Opaque(Box<Whnf>),
}

/// A value looked through as far as its syntax allows.
#[derive(Clone, Debug)]
pub enum Whnf {
    Attrs(Vec<Part>),
    List(Vec<Val>),
    Lambda(Val),
    Str(String),
    /// A path literal (its node is `NODE_PATH_*`).
    Path(Val),
    External(External),
    /// A call whose function is not in the program (a builder, a library
    /// function, a generator): the `NODE_APPLY`, its function and its
    /// arguments.
    Call {
        call: Val,
        function: External,
        args: Vec<Val>,
    },
    Unknown(Unknown),
}

/// A function entered while following a value: a helper.
#[derive(Clone, Debug)]
pub struct Hop {
    /// The `NODE_LAMBDA` entered.
    pub lambda: Val,
    /// How the call names it (`mkSystem`, `self.lib.mkSystem`), when it
    /// names it.
    pub name: Option<String>,
    /// The call.
    pub call: Val,
}

/// The key of one attribute-set entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    Static(String),
    /// `${expr}` resolved to a string.
    Resolved(String),
    /// `${expr}` that cannot be resolved.
    Dynamic,
}

impl Key {
    pub fn name(&self) -> Option<&str> {
        match self {
            Key::Static(s) | Key::Resolved(s) => Some(s),
            Key::Dynamic => None,
        }
    }
}

/// One entry of an attribute set seen through [`Flake::entries`].
#[derive(Clone, Debug)]
pub struct Entry {
    pub key: Key,
    /// The `NODE_ATTRPATH_VALUE` or `NODE_INHERIT` that defines it.
    pub entry: Val,
    pub value: Lookup,
}

/// The result of looking an attribute up.
#[derive(Clone, Debug)]
pub enum Lookup {
    /// An expression to follow.
    Val(Val),
    /// Dotted entries below a prefix (`a.b = ...; a.c = ...;` for `a`).
    Parts(Vec<Part>),
    Known(Whnf),
}

/// How deep one look-through may go (calls within calls, names to names).
const FUEL: usize = 256;

impl Flake {
    /// A view of program file `id`.
    pub fn src(&self, id: FileId) -> SrcRef<'_> {
        if id == 0 {
            SrcRef::Main(self)
        } else {
            SrcRef::Other(self.program.files.borrow()[id - 1].clone())
        }
    }

    /// The value of flake.nix's top expression.
    pub fn top(&self) -> Option<Val> {
        Some(Val {
            file: 0,
            node: self.file.root.first_child()?,
            env: Env::default(),
        })
    }

    /// A value of flake.nix without bindings.
    pub fn val(&self, node: SyntaxNode) -> Val {
        Val {
            file: 0,
            node,
            env: Env::default(),
        }
    }

    /// `file:line:col` of a value.
    pub fn location_of(&self, v: &Val) -> Location {
        self.src(v.file).location(v.node.text_range())
    }

    /// `file:line:col` of an unknown.
    pub fn location_of_unknown(&self, u: &Unknown) -> Location {
        self.src(u.file).location(u.range)
    }

    /// Load the program file at `path` (repository-relative), once.
    pub fn load_file(&self, path: &Path) -> Result<FileId, String> {
        let path = if self.program.reader.is_dir(path) {
            path.join("default.nix")
        } else {
            path.to_path_buf()
        };
        if path == self.path {
            return Ok(0);
        }
        if let Some(r) = self.program.by_path.borrow().get(&path) {
            return r.clone();
        }
        let result = match self.program.reader.read(&path) {
            Ok(None) => Err(format!("{} does not exist", path.display())),
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
            Ok(Some(text)) => match syntax::parse(&path, &text) {
                Err(e) => Err(format!("{e}")),
                Ok(file) => {
                    let scope = ScopeIndex::build(&file.root);
                    let mut files = self.program.files.borrow_mut();
                    files.push(Rc::new(Src {
                        path: path.clone(),
                        file,
                        scope,
                    }));
                    Ok(files.len())
                }
            },
        };
        self.program
            .by_path
            .borrow_mut()
            .insert(path, result.clone());
        result
    }

    /// The program files other than flake.nix loaded so far, parsed, for a
    /// module graph that must not parse them again.
    pub fn parsed_program_files(&self) -> Vec<(PathBuf, ParsedFile)> {
        self.program
            .files
            .borrow()
            .iter()
            .map(|s| (s.path.clone(), s.file.clone()))
            .collect()
    }

    /// Every program file loaded so far (flake.nix first).
    pub fn program_files(&self) -> Vec<FileId> {
        (0..=self.program.files.borrow().len()).collect()
    }

    fn unknown(&self, v: &Val, why: impl Into<String>) -> Whnf {
        Whnf::Unknown(Unknown {
            file: v.file,
            range: v.node.text_range(),
            why: why.into(),
        })
    }

    /// Look `v` through as far as its syntax allows.
    pub fn resolve(&self, v: &Val) -> Whnf {
        self.resolve_traced(v, &mut Vec::new())
    }

    /// [`Flake::resolve`], recording the functions entered on the way.
    pub fn resolve_traced(&self, v: &Val, hops: &mut Vec<Hop>) -> Whnf {
        let mut fuel = FUEL;
        self.whnf(v.clone(), hops, &mut fuel)
    }

    fn whnf(&self, mut v: Val, hops: &mut Vec<Hop>, fuel: &mut usize) -> Whnf {
        loop {
            if *fuel == 0 {
                return self.unknown(&v, "too deep to follow (recursion?)");
            }
            *fuel -= 1;
            match v.node.kind() {
                SyntaxKind::NODE_PAREN
                | SyntaxKind::NODE_LET_IN
                | SyntaxKind::NODE_WITH
                | SyntaxKind::NODE_ASSERT => {
                    let Some(body) = v.node.children().last() else {
                        return self.unknown(&v, "incomplete expression");
                    };
                    v.node = body;
                }
                SyntaxKind::NODE_ATTR_SET => {
                    return Whnf::Attrs(vec![Part::Set {
                        set: v,
                        prefix: Vec::new(),
                    }])
                }
                SyntaxKind::NODE_LIST => {
                    let items = v
                        .node
                        .children()
                        .map(|node| Val {
                            file: v.file,
                            node,
                            env: v.env.clone(),
                        })
                        .collect();
                    return Whnf::List(items);
                }
                SyntaxKind::NODE_LAMBDA => return Whnf::Lambda(v),
                SyntaxKind::NODE_PATH_REL
                | SyntaxKind::NODE_PATH_ABS
                | SyntaxKind::NODE_PATH_HOME
                | SyntaxKind::NODE_PATH_SEARCH => return Whnf::Path(v),
                SyntaxKind::NODE_STRING => {
                    return match self.string_value(&v, fuel) {
                        Some(s) => Whnf::Str(s),
                        None => self.unknown(&v, "a string built at evaluation time"),
                    }
                }
                SyntaxKind::NODE_IDENT => match self.ident(&v, hops, fuel) {
                    Step::Next(next) => v = next,
                    Step::Done(w) => return w,
                },
                SyntaxKind::NODE_SELECT => match self.select_node(&v, hops, fuel) {
                    Step::Next(next) => v = next,
                    Step::Done(w) => return w,
                },
                SyntaxKind::NODE_APPLY => match self.apply(&v, hops, fuel) {
                    Step::Next(next) => v = next,
                    Step::Done(w) => return w,
                },
                SyntaxKind::NODE_BIN_OP => return self.bin_op(&v, hops, fuel),
                SyntaxKind::NODE_IF_ELSE => {
                    return self.unknown(&v, "chosen by a condition at evaluation time")
                }
                _ => return self.unknown(&v, "computed at evaluation time"),
            }
        }
    }

    /// A string literal, or one whose interpolations are known strings.
    fn string_value(&self, v: &Val, fuel: &mut usize) -> Option<String> {
        let mut out = String::new();
        for child in v.node.children_with_tokens() {
            match child.kind() {
                SyntaxKind::TOKEN_STRING_START | SyntaxKind::TOKEN_STRING_END => {}
                SyntaxKind::TOKEN_STRING_CONTENT => {
                    let t = child.as_token()?.text();
                    if t.contains('\\') || t.contains("''") {
                        return None;
                    }
                    out.push_str(t);
                }
                SyntaxKind::NODE_INTERPOL => {
                    let inner = child.as_node()?.children().next()?;
                    let inner = Val {
                        file: v.file,
                        node: inner,
                        env: v.env.clone(),
                    };
                    match self.whnf(inner, &mut Vec::new(), fuel) {
                        Whnf::Str(s) => out.push_str(&s),
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
        if v.node.text().to_string().starts_with("''") {
            // Indented strings strip indentation: only one-line ones are taken.
            if out.contains('\n') {
                return None;
            }
        }
        Some(out)
    }

    fn ident(&self, v: &Val, hops: &mut Vec<Hop>, fuel: &mut usize) -> Step {
        let src = self.src(v.file);
        let name = v.node.text().to_string();
        let Some(r) = src.scope().reference_at(v.node.text_range()) else {
            return Step::Done(self.unknown(v, format!("`{name}` is not a reference")));
        };
        let Some(b) = r.binder else {
            if !r.withs.is_empty() {
                let withs = r.withs.clone();
                return Step::Done(self.lookup_in_withs(v, &name, &withs, hops, fuel));
            }
            return Step::Done(Whnf::External(External {
                root: Root::Global(name),
                path: Vec::new(),
            }));
        };
        let binder = &src.scope().binders[b];
        let entry = binder.entries.first().cloned();
        let scope_node = binder.scope.clone();
        match binder.kind {
            BinderKind::Let | BinderKind::Rec => {
                let Some(entry) = entry else {
                    return Step::Done(self.unknown(v, "no definition"));
                };
                if entry.kind() == SyntaxKind::NODE_INHERIT {
                    return self.inherited(v, &entry, &name, hops, fuel);
                }
                if binder.entries.len() > 1
                    || syntax::attrpath_names(&entry).is_some_and(|p| p.len() > 1)
                {
                    // `a.b = 1; a.c = 2;` in a `let` or `rec` set.
                    return Step::Done(Whnf::Attrs(vec![Part::Set {
                        set: Val {
                            file: v.file,
                            node: scope_node,
                            env: v.env.clone(),
                        },
                        prefix: vec![name],
                    }]));
                }
                match attr_value(&entry) {
                    Some(node) => Step::Next(Val {
                        file: v.file,
                        node,
                        env: v.env.clone(),
                    }),
                    None => Step::Done(self.unknown(v, "no value")),
                }
            }
            BinderKind::Formal | BinderKind::PatternBind | BinderKind::Param => {
                let lambda = (v.file, scope_node.text_range());
                let Some(arg) = v.env.lookup(lambda).cloned() else {
                    return Step::Done(self.unbound_parameter(v, &name, &scope_node));
                };
                match binder.kind {
                    BinderKind::Formal => {
                        let found = match &arg {
                            Arg::Val(a) => {
                                let a = self.whnf(a.clone(), hops, fuel);
                                self.attr(&a, &name, fuel)
                            }
                            Arg::Str(_) => None,
                            Arg::Opaque(why) => Some(Lookup::Known(self.unknown(v, why.clone()))),
                            Arg::ModuleArgs => Some(Lookup::Known(match name.as_str() {
                                "inputs" => Whnf::External(External {
                                    root: Root::Inputs,
                                    path: Vec::new(),
                                }),
                                "self" => Whnf::External(External {
                                    root: Root::Input("self".into()),
                                    path: Vec::new(),
                                }),
                                _ => self.unknown(
                                    v,
                                    format!("`{name}` is a module argument known only at evaluation time"),
                                ),
                            })),
                        };
                        match found {
                            Some(Lookup::Val(val)) => Step::Next(val),
                            Some(Lookup::Parts(parts)) => Step::Done(Whnf::Attrs(parts)),
                            Some(Lookup::Known(w)) => Step::Done(w),
                            None => {
                                // Not passed: the default, in the function's own bindings.
                                let default = entry.as_ref().and_then(|e| {
                                    e.children()
                                        .filter(|c| c.kind() != SyntaxKind::NODE_IDENT)
                                        .last()
                                });
                                match default {
                                    Some(node) => Step::Next(Val {
                                        file: v.file,
                                        node,
                                        env: v.env.clone(),
                                    }),
                                    None => Step::Done(self.unknown(
                                        v,
                                        format!(
                                            "`{name}` is not passed where the function is called"
                                        ),
                                    )),
                                }
                            }
                        }
                    }
                    _ => {
                        match arg {
                            Arg::Val(a) => Step::Next(a),
                            Arg::Str(s) => Step::Done(Whnf::Str(s)),
                            Arg::Opaque(why) => Step::Done(self.unknown(v, why)),
                            Arg::ModuleArgs => Step::Done(self.unknown(
                                v,
                                "the module arguments are known only at evaluation time",
                            )),
                        }
                    }
                }
            }
        }
    }

    /// A name that only a `with` can provide: look it up in the `with`
    /// namespaces, innermost first (`with nixpkgs.lib; nixosSystem`).
    fn lookup_in_withs(
        &self,
        v: &Val,
        name: &str,
        withs: &[SyntaxNode],
        hops: &mut Vec<Hop>,
        fuel: &mut usize,
    ) -> Whnf {
        for with in withs.iter().rev() {
            let Some(ns) = with.children().next() else {
                continue;
            };
            let ns = self.whnf(
                Val {
                    file: v.file,
                    node: ns,
                    env: v.env.clone(),
                },
                hops,
                fuel,
            );
            match &ns {
                Whnf::External(_) => {
                    if let Some(Lookup::Known(w)) = self.attr(&ns, name, fuel) {
                        return w;
                    }
                }
                Whnf::Attrs(_) => match self.attr(&ns, name, fuel) {
                    Some(Lookup::Val(val)) => return self.whnf(val, hops, fuel),
                    Some(Lookup::Parts(p)) => return Whnf::Attrs(p),
                    Some(Lookup::Known(w)) => return w,
                    None => continue,
                },
                _ => {
                    return self.unknown(
                        v,
                        format!(
                            "`{name}` may come from `with {}`",
                            one_line(with.children().next().as_ref().unwrap_or(with))
                        ),
                    )
                }
            }
        }
        Whnf::External(External {
            root: Root::Global(name.to_string()),
            path: Vec::new(),
        })
    }

    /// A parameter of a function that was not entered through a call: the
    /// outputs function's arguments are the inputs; anything else is unknown.
    fn unbound_parameter(&self, v: &Val, name: &str, lambda: &SyntaxNode) -> Whnf {
        let is_outputs = v.file == 0
            && self
                .outputs
                .as_ref()
                .is_some_and(|o| o.lambda.text_range() == lambda.text_range());
        if is_outputs {
            let at = self.outputs.as_ref().and_then(|o| {
                o.param
                    .at
                    .clone()
                    .or_else(|| o.param.ident.clone())
                    .filter(|a| a == name)
            });
            return Whnf::External(External {
                root: if at.is_some() {
                    Root::Inputs
                } else {
                    Root::Input(name.to_string())
                },
                path: Vec::new(),
            });
        }
        self.unknown(
            v,
            format!("`{name}` is a parameter of a function whose call is not followed here"),
        )
    }

    fn inherited(
        &self,
        v: &Val,
        entry: &SyntaxNode,
        name: &str,
        hops: &mut Vec<Hop>,
        fuel: &mut usize,
    ) -> Step {
        let from = entry
            .children()
            .find(|c| c.kind() == SyntaxKind::NODE_INHERIT_FROM)
            .and_then(|f| f.children().next());
        match from {
            Some(from) => {
                let base = self.whnf(
                    Val {
                        file: v.file,
                        node: from,
                        env: v.env.clone(),
                    },
                    hops,
                    fuel,
                );
                match self.attr(&base, name, fuel) {
                    Some(Lookup::Val(val)) => Step::Next(val),
                    Some(Lookup::Parts(p)) => Step::Done(Whnf::Attrs(p)),
                    Some(Lookup::Known(w)) => Step::Done(w),
                    None => Step::Done(self.unknown(
                        v,
                        format!("`{name}` is not found where it is inherited from"),
                    )),
                }
            }
            None => {
                // `inherit name;` reads `name` from the enclosing scope.
                let attr = entry
                    .children()
                    .find(|c| c.kind() == SyntaxKind::NODE_IDENT && c.text() == name);
                match attr {
                    Some(a) if a.text_range() != v.node.text_range() => Step::Next(Val {
                        file: v.file,
                        node: a,
                        env: v.env.clone(),
                    }),
                    _ => Step::Done(self.unknown(v, "inherited from an outer scope")),
                }
            }
        }
    }

    fn select_node(&self, v: &Val, hops: &mut Vec<Hop>, fuel: &mut usize) -> Step {
        let mut children = v.node.children();
        let (Some(base), Some(path)) = (children.next(), children.next()) else {
            return Step::Done(self.unknown(v, "incomplete selection"));
        };
        let default = children.next();
        let mut cur = self.whnf(
            Val {
                file: v.file,
                node: base,
                env: v.env.clone(),
            },
            hops,
            fuel,
        );
        let attrs: Vec<SyntaxNode> = path.children().collect();
        for (i, attr) in attrs.iter().enumerate() {
            let name = match self.key_of(
                &Val {
                    file: v.file,
                    node: attr.clone(),
                    env: v.env.clone(),
                },
                fuel,
            ) {
                Key::Static(s) | Key::Resolved(s) => s,
                Key::Dynamic => return Step::Done(self.unknown(v, "a dynamic attribute name")),
            };
            if let Whnf::Unknown(_) = cur {
                return Step::Done(cur);
            }
            match self.attr(&cur, &name, fuel) {
                Some(Lookup::Val(next)) => {
                    if i + 1 == attrs.len() {
                        return Step::Next(next);
                    }
                    cur = self.whnf(next, hops, fuel);
                }
                Some(Lookup::Parts(p)) => cur = Whnf::Attrs(p),
                Some(Lookup::Known(w)) => cur = w,
                None => {
                    return match default {
                        Some(d) => Step::Next(Val {
                            file: v.file,
                            node: d,
                            env: v.env.clone(),
                        }),
                        None => Step::Done(self.unknown(
                            v,
                            format!("`{name}` is not found in `{}`", one_line(&v.node)),
                        )),
                    }
                }
            }
        }
        Step::Done(cur)
    }

    /// The key of an attribute (`name`, `"name"`, `${expr}`).
    pub fn key_of(&self, attr: &Val, fuel: &mut usize) -> Key {
        if let Some(s) = static_attr_name(&attr.node) {
            return Key::Static(s);
        }
        let inner = match attr.node.kind() {
            SyntaxKind::NODE_DYNAMIC => attr.node.children().next(),
            SyntaxKind::NODE_STRING => Some(attr.node.clone()),
            _ => None,
        };
        let Some(inner) = inner else {
            return Key::Dynamic;
        };
        match self.whnf(
            Val {
                file: attr.file,
                node: inner,
                env: attr.env.clone(),
            },
            &mut Vec::new(),
            fuel,
        ) {
            Whnf::Str(s) => Key::Resolved(s),
            _ => Key::Dynamic,
        }
    }

    /// Look attribute `name` up in a value.
    fn attr(&self, w: &Whnf, name: &str, fuel: &mut usize) -> Option<Lookup> {
        match w {
            Whnf::Attrs(parts) => {
                // Later parts take precedence.
                let mut found: Vec<Lookup> = Vec::new();
                for part in parts.iter().rev() {
                    match part {
                        Part::Opaque(inner) => {
                            if found.is_empty() {
                                return Some(Lookup::Known(Whnf::Unknown(opaque_unknown(
                                    inner, name,
                                ))));
                            }
                            break;
                        }
                        Part::Set { set, prefix } => {
                            if let Some(l) = self.attr_in_set(set, prefix, name, fuel) {
                                match l {
                                    Lookup::Parts(p) => {
                                        found.push(Lookup::Parts(p));
                                        // `a = { ... } // x; a.b = ...` is an error anyway;
                                        // merge with the sets seen so far only.
                                    }
                                    other => {
                                        if found.is_empty() {
                                            return Some(other);
                                        }
                                        break;
                                    }
                                }
                                break;
                            }
                        }
                    }
                }
                found.into_iter().next()
            }
            Whnf::External(e) if e.root == Root::Input("self".into()) && e.path.is_empty() => {
                // `self.lib.mkSystem`, `self.outputs`: the flake's own outputs.
                const SELF_ATTRS: &[&str] = &[
                    "outPath",
                    "rev",
                    "dirtyRev",
                    "shortRev",
                    "dirtyShortRev",
                    "lastModified",
                    "lastModifiedDate",
                    "narHash",
                    "sourceInfo",
                    "inputs",
                    "submodules",
                    "revCount",
                ];
                let external = || {
                    Some(Lookup::Known(Whnf::External(External {
                        root: Root::Input("self".into()),
                        path: vec![name.to_string()],
                    })))
                };
                if SELF_ATTRS.contains(&name) {
                    return external();
                }
                let outputs = self
                    .outputs
                    .as_ref()
                    .and_then(|o| o.lambda.children().last())?;
                let outputs = self.whnf(self.val(outputs), &mut Vec::new(), fuel);
                if name == "outputs" {
                    return Some(Lookup::Known(outputs));
                }
                match &outputs {
                    Whnf::Attrs(_) => self.attr(&outputs, name, fuel).or_else(external),
                    _ => external(),
                }
            }
            Whnf::External(e) => {
                let mut e = e.clone();
                e = match e.root {
                    Root::Inputs => External {
                        root: Root::Input(name.to_string()),
                        path: Vec::new(),
                    },
                    _ => {
                        e.path.push(name.to_string());
                        e
                    }
                };
                Some(Lookup::Known(Whnf::External(e)))
            }
            Whnf::Unknown(u) => Some(Lookup::Known(Whnf::Unknown(u.clone()))),
            Whnf::Call { call, .. } => Some(Lookup::Known(Whnf::Unknown(Unknown {
                file: call.file,
                range: call.node.text_range(),
                why: format!("`{name}` of a call result is known only at evaluation time"),
            }))),
            _ => None,
        }
    }

    /// Attribute `name` below `prefix` of a set or `let`.
    fn attr_in_set(
        &self,
        set: &Val,
        prefix: &[String],
        name: &str,
        fuel: &mut usize,
    ) -> Option<Lookup> {
        let mut exact: Option<Val> = None;
        let mut deeper = false;
        let mut dynamic_at: Option<TextRange> = None;
        for entry in set.node.children() {
            match entry.kind() {
                SyntaxKind::NODE_ATTRPATH_VALUE => {
                    let Some(path) = entry
                        .children()
                        .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)
                    else {
                        continue;
                    };
                    let attrs: Vec<SyntaxNode> = path.children().collect();
                    if attrs.len() <= prefix.len() {
                        continue;
                    }
                    let mut matches = true;
                    for (a, p) in attrs.iter().zip(prefix) {
                        if static_attr_name(a).as_deref() != Some(p.as_str()) {
                            matches = false;
                            break;
                        }
                    }
                    if !matches {
                        continue;
                    }
                    let key = self.key_of(
                        &Val {
                            file: set.file,
                            node: attrs[prefix.len()].clone(),
                            env: set.env.clone(),
                        },
                        fuel,
                    );
                    match key.name() {
                        Some(k) if k == name => {
                            if attrs.len() == prefix.len() + 1 {
                                exact = attr_value(&entry).map(|node| Val {
                                    file: set.file,
                                    node,
                                    env: set.env.clone(),
                                });
                            } else {
                                deeper = true;
                            }
                        }
                        Some(_) => {}
                        None => dynamic_at = dynamic_at.or(Some(entry.text_range())),
                    }
                }
                SyntaxKind::NODE_INHERIT if prefix.is_empty() => {
                    let from = entry
                        .children()
                        .find(|c| c.kind() == SyntaxKind::NODE_INHERIT_FROM)
                        .and_then(|f| f.children().next());
                    for attr in entry
                        .children()
                        .filter(|c| c.kind() != SyntaxKind::NODE_INHERIT_FROM)
                    {
                        if static_attr_name(&attr).as_deref() != Some(name) {
                            continue;
                        }
                        let node = match &from {
                            // `inherit (x) name;` is `name = x.name;`
                            Some(from) => {
                                let base = self.whnf(
                                    Val {
                                        file: set.file,
                                        node: from.clone(),
                                        env: set.env.clone(),
                                    },
                                    &mut Vec::new(),
                                    fuel,
                                );
                                return self.attr(&base, name, fuel);
                            }
                            None => attr,
                        };
                        // `inherit name;` reads the enclosing scope (not this set, even if rec).
                        return Some(Lookup::Val(Val {
                            file: set.file,
                            node,
                            env: set.env.clone(),
                        }));
                    }
                }
                _ => {}
            }
        }
        match (exact, deeper) {
            (Some(v), false) => Some(Lookup::Val(v)),
            (None, true) => {
                let mut p = prefix.to_vec();
                p.push(name.to_string());
                Some(Lookup::Parts(vec![Part::Set {
                    set: set.clone(),
                    prefix: p,
                }]))
            }
            (Some(v), true) => {
                let mut p = prefix.to_vec();
                p.push(name.to_string());
                let whole = self.whnf(v, &mut Vec::new(), fuel);
                let mut parts = match whole {
                    Whnf::Attrs(parts) => parts,
                    other => vec![Part::Opaque(Box::new(other))],
                };
                parts.push(Part::Set {
                    set: set.clone(),
                    prefix: p,
                });
                Some(Lookup::Parts(parts))
            }
            (None, false) => dynamic_at.map(|range| {
                Lookup::Known(Whnf::Unknown(Unknown {
                    file: set.file,
                    range,
                    why: format!("a dynamic attribute name may be `{name}`"),
                }))
            }),
        }
    }

    fn apply(&self, v: &Val, hops: &mut Vec<Hop>, fuel: &mut usize) -> Step {
        // `f a b` is `(f a) b`: find the head and the arguments in order.
        let mut args: Vec<SyntaxNode> = Vec::new();
        let mut head = v.node.clone();
        while head.kind() == SyntaxKind::NODE_APPLY {
            let (Some(f), Some(a)) = (head.children().next(), head.children().nth(1)) else {
                return Step::Done(self.unknown(v, "incomplete call"));
            };
            args.push(a);
            head = unparen(f);
        }
        args.reverse();
        let mk = |node: SyntaxNode| Val {
            file: v.file,
            node,
            env: v.env.clone(),
        };
        let name = match head.kind() {
            SyntaxKind::NODE_IDENT | SyntaxKind::NODE_SELECT => Some(head.text().to_string()),
            _ => None,
        };
        let mut f = self.whnf(mk(head), hops, fuel);
        let mut rest = args.into_iter().map(mk).collect::<Vec<_>>().into_iter();
        let mut first = true;
        loop {
            let Some(arg) = rest.next() else {
                return Step::Done(f);
            };
            match f {
                Whnf::Lambda(lambda) => {
                    hops.push(Hop {
                        lambda: lambda.clone(),
                        name: if first { name.clone() } else { None },
                        call: v.clone(),
                    });
                    first = false;
                    let env = lambda
                        .env
                        .bind((lambda.file, lambda.node.text_range()), Arg::Val(arg));
                    let Some(body) = lambda.node.children().last() else {
                        return Step::Done(self.unknown(v, "incomplete function"));
                    };
                    let body = Val {
                        file: lambda.file,
                        node: body,
                        env,
                    };
                    if rest.len() == 0 {
                        return Step::Next(body);
                    }
                    f = self.whnf(body, hops, fuel);
                }
                Whnf::External(e) if e.is_builtin("import") => {
                    let target = self.whnf(arg.clone(), hops, fuel);
                    let Whnf::Path(p) = target else {
                        return Step::Done(
                            self.unknown(&arg, "imports a path not known statically"),
                        );
                    };
                    let Some(path) = self.path_value(&p) else {
                        return Step::Done(self.unknown(&p, "imports a path not known statically"));
                    };
                    let id = match self.load_file(&path) {
                        Ok(id) => id,
                        Err(why) => return Step::Done(self.unknown(&p, why)),
                    };
                    let Some(node) = self.src(id).file().root.first_child() else {
                        return Step::Done(self.unknown(&p, "an empty file"));
                    };
                    let body = Val {
                        file: id,
                        node,
                        env: Env::default(),
                    };
                    if rest.len() == 0 {
                        return Step::Next(body);
                    }
                    f = self.whnf(body, hops, fuel);
                }
                Whnf::External(function) => {
                    let mut all = vec![arg];
                    all.extend(rest);
                    return Step::Done(Whnf::Call {
                        call: v.clone(),
                        function,
                        args: all,
                    });
                }
                // A library function applied in steps (`forAllSystems =
                // genAttrs systems;` then `forAllSystems (system: ...)`).
                Whnf::Call {
                    function,
                    args: mut all,
                    ..
                } => {
                    all.push(arg);
                    all.extend(rest);
                    return Step::Done(Whnf::Call {
                        call: v.clone(),
                        function,
                        args: all,
                    });
                }
                Whnf::Unknown(u) => return Step::Done(Whnf::Unknown(u)),
                _ => return Step::Done(self.unknown(v, "calls something that is not a function")),
            }
        }
    }

    fn bin_op(&self, v: &Val, hops: &mut Vec<Hop>, fuel: &mut usize) -> Whnf {
        let op = v
            .node
            .children_with_tokens()
            .filter_map(|t| t.into_token())
            .find(|t| {
                !matches!(
                    t.kind(),
                    SyntaxKind::TOKEN_WHITESPACE | SyntaxKind::TOKEN_COMMENT
                )
            })
            .map(|t| t.kind());
        let operands: Vec<Val> = v
            .node
            .children()
            .map(|node| Val {
                file: v.file,
                node,
                env: v.env.clone(),
            })
            .collect();
        match op {
            Some(SyntaxKind::TOKEN_UPDATE) => {
                let mut parts = Vec::new();
                for o in operands {
                    match self.whnf(o, hops, fuel) {
                        Whnf::Attrs(p) => parts.extend(p),
                        other => parts.push(Part::Opaque(Box::new(other))),
                    }
                }
                Whnf::Attrs(parts)
            }
            Some(SyntaxKind::TOKEN_CONCAT) => {
                let mut items = Vec::new();
                for o in operands {
                    match self.whnf(o, hops, fuel) {
                        Whnf::List(l) => items.extend(l),
                        Whnf::Unknown(u) => return Whnf::Unknown(u),
                        _ => return self.unknown(v, "a list built at evaluation time"),
                    }
                }
                Whnf::List(items)
            }
            _ => self.unknown(v, "computed at evaluation time"),
        }
    }

    /// The repository-relative path a relative path literal names, its
    /// interpolations resolved (`./hosts/${name}.nix` with `name` known).
    pub fn path_value(&self, p: &Val) -> Option<PathBuf> {
        if p.node.kind() != SyntaxKind::NODE_PATH_REL {
            return None;
        }
        let mut text = String::new();
        let mut fuel = FUEL;
        for child in p.node.children_with_tokens() {
            match child {
                rnix::NodeOrToken::Token(t) => text.push_str(t.text()),
                rnix::NodeOrToken::Node(n) => {
                    let inner = n.children().next()?;
                    match self.whnf(
                        Val {
                            file: p.file,
                            node: inner,
                            env: p.env.clone(),
                        },
                        &mut Vec::new(),
                        &mut fuel,
                    ) {
                        Whnf::Str(s) => text.push_str(&s),
                        _ => return None,
                    }
                }
            }
        }
        crate::modules::normalize_rel(&self.src(p.file).dir().join(text))
    }

    /// The entries of an attribute-set value, keys resolved where they can
    /// be. Later parts of a `//` replace earlier entries of the same name.
    pub fn entries(&self, w: &Whnf) -> Result<Vec<Entry>, Unknown> {
        let Whnf::Attrs(parts) = w else {
            return Err(match w {
                Whnf::Unknown(u) => u.clone(),
                _ => Unknown {
                    file: 0,
                    range: TextRange::default(),
                    why: "not an attribute set".into(),
                },
            });
        };
        let mut out: Vec<Entry> = Vec::new();
        let mut fuel = FUEL;
        for part in parts {
            let set = match part {
                Part::Set { set, prefix } => (set, prefix),
                Part::Opaque(inner) => return Err(opaque_unknown(inner, "*")),
            };
            let (set, prefix) = set;
            // One pass over the set: entries grouped by name, in order
            // (`a.b = ...; a.c = ...;` and `a = { ... }; a.d = ...;` are one
            // attribute each).
            let mut here: Vec<Entry> = Vec::new();
            let mut groups: HashMap<String, usize> = HashMap::new();
            // For each entry of `here`: (exact value, has deeper parts), or
            // `None` when its value is already known (inherited, dynamic).
            let mut shapes: Vec<Option<(Option<Val>, bool)>> = Vec::new();
            for entry in set.node.children() {
                let ev = Val {
                    file: set.file,
                    node: entry.clone(),
                    env: set.env.clone(),
                };
                match entry.kind() {
                    SyntaxKind::NODE_ATTRPATH_VALUE => {
                        let Some(path) = entry
                            .children()
                            .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)
                        else {
                            continue;
                        };
                        let attrs: Vec<SyntaxNode> = path.children().collect();
                        if attrs.len() <= prefix.len()
                            || !attrs
                                .iter()
                                .zip(prefix)
                                .all(|(a, p)| static_attr_name(a).as_deref() == Some(p.as_str()))
                        {
                            continue;
                        }
                        let key = self.key_of(
                            &Val {
                                file: set.file,
                                node: attrs[prefix.len()].clone(),
                                env: set.env.clone(),
                            },
                            &mut fuel,
                        );
                        let exact = attrs.len() == prefix.len() + 1;
                        let value = exact.then(|| attr_value(&entry)).flatten().map(|node| Val {
                            file: set.file,
                            node,
                            env: set.env.clone(),
                        });
                        match key.name().map(str::to_string) {
                            Some(name) => {
                                let i = *groups.entry(name).or_insert_with(|| {
                                    here.push(Entry {
                                        key: key.clone(),
                                        entry: ev.clone(),
                                        // Set below from `shapes`.
                                        value: Lookup::Parts(Vec::new()),
                                    });
                                    shapes.push(Some((None, false)));
                                    here.len() - 1
                                });
                                if let Some(shape) = &mut shapes[i] {
                                    if exact {
                                        shape.0 = shape.0.take().or(value);
                                    } else {
                                        shape.1 = true;
                                    }
                                }
                            }
                            None => {
                                let value = match value {
                                    Some(v) => Lookup::Val(v),
                                    None if exact => continue,
                                    None => Lookup::Known(Whnf::Unknown(Unknown {
                                        file: set.file,
                                        range: entry.text_range(),
                                        why: "attributes below a dynamic name".into(),
                                    })),
                                };
                                here.push(Entry {
                                    key,
                                    entry: ev,
                                    value,
                                });
                                shapes.push(None);
                            }
                        }
                    }
                    SyntaxKind::NODE_INHERIT if prefix.is_empty() => {
                        let from = entry
                            .children()
                            .find(|c| c.kind() == SyntaxKind::NODE_INHERIT_FROM)
                            .and_then(|f| f.children().next());
                        let base = from.map(|from| {
                            self.whnf(
                                Val {
                                    file: set.file,
                                    node: from,
                                    env: set.env.clone(),
                                },
                                &mut Vec::new(),
                                &mut fuel,
                            )
                        });
                        for attr in entry
                            .children()
                            .filter(|c| c.kind() != SyntaxKind::NODE_INHERIT_FROM)
                        {
                            let Some(name) = static_attr_name(&attr) else {
                                continue;
                            };
                            let value = match &base {
                                // `inherit (x) name;` is `name = x.name;`
                                Some(base) => match self.attr(base, &name, &mut fuel) {
                                    Some(l) => l,
                                    None => continue,
                                },
                                // `inherit name;` reads the enclosing scope.
                                None => Lookup::Val(Val {
                                    file: set.file,
                                    node: attr,
                                    env: set.env.clone(),
                                }),
                            };
                            groups.insert(name.clone(), here.len());
                            here.push(Entry {
                                key: Key::Static(name),
                                entry: ev.clone(),
                                value,
                            });
                            shapes.push(None);
                        }
                    }
                    _ => {}
                }
            }
            for (e, shape) in here.iter_mut().zip(shapes) {
                let (Some((exact, deeper)), Some(name)) = (shape, e.key.name().map(str::to_string))
                else {
                    continue;
                };
                let mut p = prefix.clone();
                p.push(name);
                let below = Part::Set {
                    set: set.clone(),
                    prefix: p,
                };
                e.value = match (exact, deeper) {
                    (Some(v), false) => Lookup::Val(v),
                    (None, _) => Lookup::Parts(vec![below]),
                    (Some(v), true) => {
                        let mut parts = match self.whnf(v, &mut Vec::new(), &mut fuel) {
                            Whnf::Attrs(parts) => parts,
                            other => vec![Part::Opaque(Box::new(other))],
                        };
                        parts.push(below);
                        Lookup::Parts(parts)
                    }
                };
            }
            for e in here {
                if let Some(name) = e.key.name() {
                    out.retain(|o| o.key.name() != Some(name));
                }
                out.push(e);
            }
        }
        Ok(out)
    }

    /// The `let` or `rec` binding a function expression names, following
    /// names through other names, `inherit`s and function arguments
    /// (`mkSystem` in a file that takes it as an argument is flake.nix's
    /// `mkSystem`). `None` for a selection or anything else.
    pub fn defining_binder(&self, v: &Val) -> Option<(FileId, usize)> {
        let mut cur = v.clone();
        let mut fuel = FUEL;
        for _ in 0..64 {
            cur.node = unparen(cur.node.clone());
            if cur.node.kind() != SyntaxKind::NODE_IDENT {
                return None;
            }
            let src = self.src(cur.file);
            let r = src.scope().reference_at(cur.node.text_range())?;
            let b = r.binder?;
            let binder = &src.scope().binders[b];
            let name = binder.name.clone();
            let entry = binder.entries.first()?.clone();
            match binder.kind {
                BinderKind::Let | BinderKind::Rec => {
                    if entry.kind() == SyntaxKind::NODE_INHERIT {
                        let from = entry
                            .children()
                            .any(|c| c.kind() == SyntaxKind::NODE_INHERIT_FROM);
                        let attr = entry.children().find(|c| {
                            c.kind() == SyntaxKind::NODE_IDENT && c.text() == name.as_str()
                        });
                        match (from, attr) {
                            (false, Some(a)) if a.text_range() != cur.node.text_range() => {
                                cur.node = a;
                                continue;
                            }
                            _ => return Some((cur.file, b)),
                        }
                    }
                    let value = attr_value(&entry)?;
                    if unparen(value.clone()).kind() == SyntaxKind::NODE_IDENT {
                        cur.node = value;
                        continue;
                    }
                    return Some((cur.file, b));
                }
                BinderKind::Formal => {
                    let lambda = (cur.file, binder.scope.text_range());
                    let Arg::Val(arg) = cur.env.lookup(lambda)?.clone() else {
                        return None;
                    };
                    let arg = self.whnf(arg, &mut Vec::new(), &mut fuel);
                    match self.attr(&arg, &name, &mut fuel)? {
                        Lookup::Val(next) => cur = next,
                        _ => return None,
                    }
                }
                BinderKind::Param | BinderKind::PatternBind => {
                    let lambda = (cur.file, binder.scope.text_range());
                    let Arg::Val(arg) = cur.env.lookup(lambda)?.clone() else {
                        return None;
                    };
                    cur = arg;
                }
            }
        }
        None
    }

    /// The binder in file `to` that `name`, read at `at` (a value of another
    /// file, with the arguments of the functions entered to reach it), stands
    /// for: followed through the parameters of the functions entered (a
    /// `lib/` file's `{ inputs }:` given `{ inherit inputs; }` at its import
    /// call) until the name is written in `to`. `None` when it cannot be
    /// followed that way (bound by a `let` of another file, passed as
    /// anything but a plain name, unknown argument), and when `name` is
    /// unbound where it ends.
    pub fn binder_across(&self, at: &Val, name: &str, to: FileId) -> Option<usize> {
        let mut fuel = FUEL;
        let mut file = at.file;
        let mut offset = at.node.text_range().start();
        let mut env = at.env.clone();
        let mut name = name.to_string();
        // The reference written at the current place, once one is followed
        // (`inherit inputs;` reads the scope around its set).
        let mut written: Option<TextRange> = None;
        for _ in 0..64 {
            let src = self.src(file);
            let b = match written {
                Some(r) => src.scope().reference_at(r)?.binder?,
                None => src.scope().resolve_at(&name, offset)?,
            };
            if file == to {
                return Some(b);
            }
            let binder = &src.scope().binders[b];
            if binder.kind != BinderKind::Formal {
                return None;
            }
            let lambda = (file, binder.scope.text_range());
            let Arg::Val(arg) = env.lookup(lambda)?.clone() else {
                return None;
            };
            let arg = self.whnf(arg, &mut Vec::new(), &mut fuel);
            let Lookup::Val(next) = self.attr(&arg, &name, &mut fuel)? else {
                return None;
            };
            let node = unparen(next.node.clone());
            if node.kind() != SyntaxKind::NODE_IDENT {
                return None;
            }
            name = node.text().to_string();
            file = next.file;
            offset = node.text_range().start();
            written = Some(node.text_range());
            env = next.env;
        }
        None
    }

    /// Follow a lookup to a value.
    pub fn resolve_lookup(&self, l: &Lookup, hops: &mut Vec<Hop>) -> Whnf {
        match l {
            Lookup::Val(v) => self.resolve_traced(v, hops),
            Lookup::Parts(p) => Whnf::Attrs(p.clone()),
            Lookup::Known(w) => w.clone(),
        }
    }

    /// Attribute `name` of a value, followed.
    pub fn get(&self, w: &Whnf, name: &str) -> Option<Whnf> {
        let mut fuel = FUEL;
        self.attr(w, name, &mut fuel)
            .map(|l| self.resolve_lookup(&l, &mut Vec::new()))
    }

    /// Apply a function value to arguments the model supplies (a generator's
    /// per-element function to a key and a value).
    pub fn call_with(&self, f: &Val, args: Vec<Arg>, hops: &mut Vec<Hop>) -> Whnf {
        let mut fuel = FUEL;
        let mut cur = self.whnf(f.clone(), hops, &mut fuel);
        let mut args = args.into_iter().peekable();
        while let Some(arg) = args.next() {
            let Whnf::Lambda(lambda) = cur else {
                return match cur {
                    Whnf::Unknown(u) => Whnf::Unknown(u),
                    _ => self.unknown(f, "a function not known statically"),
                };
            };
            hops.push(Hop {
                lambda: lambda.clone(),
                name: match f.node.kind() {
                    SyntaxKind::NODE_IDENT | SyntaxKind::NODE_SELECT => {
                        Some(f.node.text().to_string())
                    }
                    _ => None,
                },
                call: f.clone(),
            });
            let env = lambda
                .env
                .bind((lambda.file, lambda.node.text_range()), arg);
            let Some(body) = lambda.node.children().last() else {
                return self.unknown(f, "incomplete function");
            };
            cur = self.whnf(
                Val {
                    file: lambda.file,
                    node: body,
                    env,
                },
                hops,
                &mut fuel,
            );
            if args.peek().is_none() {
                break;
            }
        }
        cur
    }
}

enum Step {
    Next(Val),
    Done(Whnf),
}

impl Whnf {
    /// The unknown, when this is one.
    pub fn as_unknown(&self) -> Option<&Unknown> {
        match self {
            Whnf::Unknown(u) => Some(u),
            _ => None,
        }
    }
}

/// Why attribute `name` of an operand that is not a known set is unknown.
fn opaque_unknown(w: &Whnf, name: &str) -> Unknown {
    if let Whnf::Unknown(u) = w {
        return u.clone();
    }
    let (file, range) = match w {
        Whnf::Call { call, .. } => (call.file, call.node.text_range()),
        Whnf::Lambda(v) | Whnf::Path(v) => (v.file, v.node.text_range()),
        Whnf::List(items) => items
            .first()
            .map(|v| (v.file, v.node.text_range()))
            .unwrap_or_default(),
        _ => (0, TextRange::default()),
    };
    let what = match w {
        Whnf::Call { function, .. } => function
            .last()
            .map(|f| format!("a call of `{f}`"))
            .unwrap_or_else(|| "a call".into()),
        _ => "a value computed at evaluation time".into(),
    };
    // `*`: the set's attributes, not one of them.
    let why = if name == "*" {
        format!("some of its attributes come from {what}, merged into it, which cannot be listed without evaluating")
    } else {
        format!("`{name}` may come from {what}, merged into the set, which cannot be listed without evaluating")
    };
    Unknown { file, range, why }
}

/// The first line of a node's text, for messages.
pub fn one_line(node: &SyntaxNode) -> String {
    let text = node.text().to_string();
    let first = text.lines().next().unwrap_or_default().trim_end();
    if text.lines().nth(1).is_some() {
        format!("{first} ...")
    } else {
        first.to_string()
    }
}
