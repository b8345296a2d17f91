# flake-refactor `--verify`: evaluate a flake from a directory and collect
# one value per output, as JSON strings. src/evaluate.rs writes this file
# next to (not into) the tree it evaluates and runs, once per side:
#
#   nix-instantiate --eval --strict --json --read-write-mode THIS_FILE \
#     --argstr root T --argstr subdir DIR --argstr exclude '[...]'
#
# root:    absolute path of the tree (the repository root), the same
#          directory for both sides;
# subdir:  the directory holding flake.nix, relative to root ("" for root);
# exclude: a JSON list of JSON-encoded output paths not to evaluate, because
#          an earlier run of this file failed on them (see evaluate.rs).
#
# The flake is called the way Nix's call-flake.nix (and flake-compat) call
# it: inputs come from flake.lock (each locked node fetched with
# builtins.fetchTree, its flake.nix imported and its outputs called with its
# own inputs, `follows` resolved from the root), and `self` is the outputs
# merged with a source info. Unlike Nix, the root's source info is a set of
# constants: `outPath` is the string `root` (not a store path, so "${self}"
# names the same place on both sides and copies nothing), and rev, shortRev,
# dirtyRev, dirtyShortRev, lastModified, lastModifiedDate and narHash are
# fixed. Path literals in the flake resolve inside `root`, which is why both
# sides are evaluated from the same directory.
#
# Progress goes to stderr as trace lines, which evaluate.rs reads when the
# evaluation fails, to tell which input or output failed:
#   trace: flake-refactor-verify fetch "NODE"     fetching a locked input
#   trace: flake-refactor-verify fetched "NODE"   ... done
#   trace: flake-refactor-verify output ["NAME"]  listing an output's parts
#   trace: flake-refactor-verify row ["NAME",...] evaluating one part
#
# The result: { rows = [ { path = [ ... ]; value = "<json>"; }
#                        or { path = [ ... ]; excluded = true; } ... ]; }
{ root, subdir, exclude }:
let
  excluded = builtins.fromJSON exclude;
  isExcluded = path: builtins.elem (builtins.toJSON path) excluded;
  mark = kind: what: builtins.trace "flake-refactor-verify ${kind} ${builtins.toJSON what}";

  rootPath = /. + root;
  flakeDir = if subdir == "" then rootPath else rootPath + "/${subdir}";
  # A flake without inputs may have no lock file.
  lockFile = flakeDir + "/flake.lock";
  lock =
    if builtins.pathExists lockFile then builtins.fromJSON (builtins.readFile lockFile)
    else { nodes.root = { }; root = "root"; };

  # The same on both sides; see above.
  rootSourceInfo = {
    outPath = root;
    rev = "0000000000000000000000000000000000000000";
    shortRev = "0000000";
    dirtyRev = "0000000000000000000000000000000000000000-dirty";
    dirtyShortRev = "0000000-dirty";
    lastModified = 1;
    lastModifiedDate = "19700101000001";
    narHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  };

  fetch = key: node:
    let tree = mark "fetch" key (builtins.fetchTree (node.info or { } // removeAttrs node.locked [ "dir" ]));
    in builtins.seq tree (mark "fetched" key tree);

  # As in Nix's call-flake.nix.
  allNodes = builtins.mapAttrs
    (key: node:
      let
        isRoot = key == lock.root;
        sourceInfo = if isRoot then rootSourceInfo else fetch key node;
        dir = if isRoot then subdir else node.locked.dir or "";
        flakeFile =
          if isRoot then flakeDir + "/flake.nix"
          else sourceInfo.outPath + (if dir == "" then "" else "/${dir}") + "/flake.nix";
        flake = import flakeFile;
        inputs = builtins.mapAttrs (_: spec: allNodes.${resolveInput spec}) (node.inputs or { });
        outputs = flake.outputs (inputs // { self = result; });
        result = outputs // sourceInfo // { inherit inputs outputs sourceInfo; };
      in
      if node.flake or true then result else sourceInfo)
    lock.nodes;

  resolveInput = spec: if builtins.isList spec then inputByPath lock.root spec else spec;
  inputByPath = node: path:
    if path == [ ] then node
    else inputByPath (resolveInput lock.nodes.${node}.inputs.${builtins.head path}) (builtins.tail path);

  outputs = allNodes.${lock.root}.outputs;

  # ---- what is compared ----------------------------------------------------
  isDerivation = v: builtins.isAttrs v && (v.type or null) == "derivation";

  # A JSON-able description of any value: plain values as they are,
  # derivations by drvPath, sets with an outPath (flakes) by that path,
  # functions by their formal arguments, paths by where they point and the
  # sha256 of that file. Below `maxDepth` levels, or for sets of more than
  # `maxAttrs` attributes, only the attribute names. A part that throws (or
  # fails an assert) below the top is described as "<throws>".
  maxDepth = 6;
  maxAttrs = 1000;
  fileHash = p:
    let s = toString p; in
    if !builtins.pathExists s then null
    else if ((builtins.readDir (dirOf s)).${baseNameOf s} or "") == "regular" then builtins.hashFile "sha256" s
    else null;
  describe = depth: v0:
    let
      # The value itself may fail (and then the whole part fails, with its
      # message); a part of it that throws is described as such.
      tried = if depth == 0 then { success = true; value = v0; } else builtins.tryEval v0;
      v = tried.value;
      t = builtins.typeOf v;
      d = describe (depth + 1);
    in
    if !tried.success then "<throws>"
    else if t == "set" then
      if isDerivation v then { "<drv>" = v.drvPath; }
      else if v ? outPath then { "<outPath>" = toString v.outPath; }
      # As in the module system, the content of a false mkIf is not evaluated.
      else if (v._type or null) == "if" && v.condition == false then { "<mkIf>" = false; }
      else if depth >= maxDepth || builtins.length (builtins.attrNames v) > maxAttrs
      then { "<attrNames>" = builtins.attrNames v; }
      else builtins.mapAttrs (_: d) v
    else if t == "list" then map d v
    else if t == "lambda" then { "<lambda>" = builtins.functionArgs v; }
    else if t == "path" then { "<path>" = toString v; sha256 = fileHash v; }
    else v;

  json = v: builtins.toJSON v;
  drvOr = v: if isDerivation v then json { drvPath = v.drvPath; } else json (describe 0 v);

  # Rows of one output: a list of { path; value; } with `value` unforced.
  byName = get: name: v:
    map (n: { path = [ name n ]; value = get v.${n}; }) (builtins.attrNames v);
  bySystem = get: name: v:
    builtins.concatMap
      (s:
        let vs = v.${s}; in
        if builtins.isAttrs vs && !isDerivation vs
        then map (n: { path = [ name s n ]; value = get vs.${n}; }) (builtins.attrNames vs)
        else [ { path = [ name s ]; value = get vs; } ])
      (builtins.attrNames v);
  nixos = c:
    if c ? config.system.build.toplevel
    then json { toplevel = c.config.system.build.toplevel.drvPath; }
    else json (describe 0 c);
  darwin = c:
    if c ? system && isDerivation c.system then json { system = c.system.drvPath; }
    else if c ? config.system.build.toplevel then json { toplevel = c.config.system.build.toplevel.drvPath; }
    else json (describe 0 c);
  home = c:
    if c ? activationPackage then json { activationPackage = c.activationPackage.drvPath; }
    else json (describe 0 c);
  names = v: json { "<attrNames>" = builtins.attrNames v; };
  described = v: json (describe 0 v);
  rowsOf = name: v:
    let
      kinds = {
        nixosConfigurations = byName nixos;
        darwinConfigurations = byName darwin;
        homeConfigurations = byName home;
        packages = bySystem drvOr;
        checks = bySystem drvOr;
        devShells = bySystem drvOr;
        apps = bySystem described;
        formatter = bySystem drvOr;
        legacyPackages = bySystem names;
        overlays = byName described;
        nixosModules = byName described;
        darwinModules = byName described;
        homeManagerModules = byName described;
        homeModules = byName described;
        templates = byName described;
      };
    in
    if kinds ? ${name} && builtins.isAttrs v && !isDerivation v then kinds.${name} name v
    else [ { path = [ name ]; value = described v; } ];

  # ---- evaluation, one part after the other ---------------------------------
  collectRow = acc: row:
    if isExcluded row.path then acc ++ [ { inherit (row) path; excluded = true; } ]
    else
      let value = mark "row" row.path row.value; in
      builtins.seq value (acc ++ [ { inherit (row) path value; } ]);
  collectOutput = acc: name:
    if isExcluded [ name ] then acc ++ [ { path = [ name ]; excluded = true; } ]
    else
      let rows = mark "output" [ name ] (rowsOf name outputs.${name}); in
      builtins.seq (builtins.length rows) (builtins.foldl' collectRow acc rows);
in
{
  rows = builtins.foldl' collectOutput [ ] (builtins.attrNames outputs);
}
