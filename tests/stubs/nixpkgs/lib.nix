# The stub `lib`: a small subset of nixpkgs' lib, plus `nixosSystem`, plus
# the stub machinery in `lib.stub` that the home-manager stub uses too.
#
# How results stay sensitive to their inputs: `nixosSystem` (and the
# home-manager stub) evaluate every module in the closure of `modules`
# (following `imports`, deduplicated by path like the module system) with
# `config` (a naive merge of all module results over the option defaults
# they declare and those of nixos/modules/defaults.nix), `pkgs`, `lib`,
# `modulesPath` and the specialArgs; then they put a JSON description of
# everything they were given into a derivation:
#   - the system and the specialArgs,
#   - per module, in order: the description of what it evaluated to (not its
#     text, so comments do not count, as in NixOS).
# A description (`stub.describe`) keeps plain values, describes derivations by
# their drvPath, flakes and other `outPath` sets by that path, package sets by
# their system, config and overlays, functions by their formal arguments, and
# paths by where they point plus the sha256 of that file. So the toplevel's
# drvPath changes when any module's content, the system, the specialArgs or a
# path's target changes, and stays the same when code only moves.
let
  inherit (builtins)
    attrNames concatMap filter foldl' functionArgs genericClosure hasAttr
    hashFile intersectAttrs isAttrs isFunction isList isPath isString
    listToAttrs mapAttrs pathExists readDir stringLength substring toJSON
    typeOf;

  lib = rec {
    # ---- a subset of nixpkgs.lib ------------------------------------------
    id = x: x;
    const = x: _: x;
    flip = f: a: b: f b a;
    inherit attrNames mapAttrs filter foldl' listToAttrs concatMap;
    attrValues = builtins.attrValues;
    elem = builtins.elem;
    head = builtins.head;
    tail = builtins.tail;
    length = builtins.length;
    concatStringsSep = builtins.concatStringsSep;
    concatLists = builtins.concatLists;
    genList = builtins.genList;
    foldl = foldl';
    foldr = op: nul: list: if list == [ ] then nul else op (builtins.head list) (foldr op nul (builtins.tail list));
    flatten = x: if isList x then concatMap flatten x else [ x ];
    unique = foldl' (acc: x: if builtins.elem x acc then acc else acc ++ [ x ]) [ ];
    optional = cond: x: if cond then [ x ] else [ ];
    optionals = cond: xs: if cond then xs else [ ];
    optionalAttrs = cond: as: if cond then as else { };
    optionalString = cond: s: if cond then s else "";
    genAttrs = names: f: listToAttrs (map (n: { name = n; value = f n; }) names);
    nameValuePair = name: value: { inherit name value; };
    filterAttrs = pred: set:
      listToAttrs (concatMap (n: if pred n set.${n} then [ { name = n; value = set.${n}; } ] else [ ]) (attrNames set));
    mapAttrs' = f: set: listToAttrs (map (n: f n set.${n}) (attrNames set));
    mapAttrsToList = f: set: map (n: f n set.${n}) (attrNames set);
    attrByPath = path: default: set:
      if path == [ ] then set
      else if isAttrs set && hasAttr (builtins.head path) set
      then attrByPath (builtins.tail path) default set.${builtins.head path}
      else default;
    recursiveUpdate = lhs: rhs:
      lhs // rhs // mapAttrs
        (n: r: let l = lhs.${n}; in if isAttrs l && isAttrs r then recursiveUpdate l r else r)
        (intersectAttrs lhs rhs);
    hasPrefix = pre: s: substring 0 (stringLength pre) s == pre;
    hasSuffix = suf: s:
      let ls = stringLength s; lf = stringLength suf; in
      ls >= lf && substring (ls - lf) lf s == suf;
    removePrefix = pre: s:
      if hasPrefix pre s then substring (stringLength pre) (stringLength s - stringLength pre) s else s;
    removeSuffix = suf: s:
      if hasSuffix suf s then substring 0 (stringLength s - stringLength suf) s else s;
    # nixpkgs filters version-control files and build results here; the stub
    # keeps the source as it is.
    cleanSource = src: src;
    cleanSourceWith = { src, ... }: src;
    mkOverride = priority: content: { _type = "override"; inherit priority content; };
    mkDefault = mkOverride 1000;
    mkForce = mkOverride 50;
    mkIf = condition: content: { _type = "if"; inherit condition content; };
    mkMerge = contents: { _type = "merge"; inherit contents; };
    mkOrder = priority: content: { _type = "order"; inherit priority content; };
    mkBefore = mkOrder 500;
    mkAfter = mkOrder 1500;
    mkOption = attrs: attrs // { _type = "option"; };
    mkEnableOption = name: mkOption { default = false; description = "Whether to enable ${name}."; };
    types = mapAttrs (n: _: "<type ${n}>") {
      bool = 0; str = 0; int = 0; path = 0; package = 0; attrs = 0; lines = 0;
    } // {
      listOf = t: "<listOf ${t}>";
      attrsOf = t: "<attrsOf ${t}>";
      nullOr = t: "<nullOr ${t}>";
      enum = vs: "<enum ${toJSON vs}>";
    };
    systems.flakeExposed = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
    version = "24.11-stub";
    trivial.release = "24.11";

    # ---- nixosSystem -------------------------------------------------------
    nixosSystem = { system ? null, modules ? [ ], specialArgs ? { }, extraModules ? [ ], ... }@args:
      let
        ev = stub.evalModules {
          modules = [ ./nixos/modules/defaults.nix ] ++ modules ++ extraModules;
          args = { inherit lib; modulesPath = ./nixos/modules; options = { }; pkgs = pkgs; } // specialArgs;
        };
        effectiveSystem = if system != null then system else ev.config.nixpkgs.hostPlatform or "x86_64-linux";
        pkgs = stub.mkPkgs {
          system = effectiveSystem;
          config = ev.config.nixpkgs.config or { };
          overlays = ev.config.nixpkgs.overlays or [ ];
        };
        toplevel = stub.mkDrv effectiveSystem "nixos-system-stub" {
          inherit system;
          specialArgs = stub.describe specialArgs;
          modules = ev.description;
        };
        cfg = ev.config;
      in
      {
        _type = "configuration";
        inherit pkgs;
        options = { };
        config = cfg // {
          system = (cfg.system or { }) // {
            build = (cfg.system.build or { }) // { inherit toplevel; };
          };
        };
      };

    # ---- the stub machinery ------------------------------------------------
    stub = rec {
      # A derivation that is never built; its drvPath depends on `payload`.
      mkDrv = system: name: payload: derivation {
        inherit name;
        system = if system == null then "x86_64-linux" else system;
        builder = "/bin/sh";
        args = [ "-c" "echo stub > $out" ];
        payload = toJSON (describe payload);
      };

      # The sha256 of the file a path names (null for a directory or nothing).
      fileOf = p:
        let s = toString p; in
        if pathExists s && ((readDir (dirOf s)).${baseNameOf s} or "") == "regular"
        then hashFile "sha256" s
        else null;

      describe = describeAt 0;
      describeAt = depth: v:
        let t = typeOf v; d = describeAt (depth + 1); in
        if depth > 24 then "<too deep>"
        else if t == "set" then
          if v ? __stubPkgs then { "<pkgs>" = d v.__stubPkgs; }
          else if (v.type or null) == "derivation" then { "<drv>" = v.drvPath; }
          # As in the module system, the content of a false mkIf is not evaluated.
          else if (v._type or null) == "if" && !v.condition then { "<if>" = false; }
          else if v ? outPath then { "<outPath>" = toString v.outPath; }
          else mapAttrs (_: d) v
        else if t == "list" then map d v
        else if t == "lambda" then { "<lambda>" = functionArgs v; }
        else if t == "path" then { "<path>" = toString v; sha256 = fileOf v; }
        else v;

      # Call a module function the way the module system does: with only the
      # arguments it names, or with all of them when it names none.
      applyModule = args: m:
        if isFunction m then
          (if functionArgs m == { } then m args else m (intersectAttrs (functionArgs m) args))
        else m;

      # The configuration part of a module's value (full form: `config`).
      bodyOf = r:
        if r ? config || r ? options then r.config or { }
        else removeAttrs r [ "imports" "_file" "key" "disabledModules" ];

      # Later definitions win, attribute sets merge, lists concatenate.
      merge = a: b:
        a // b // mapAttrs
          (n: bv:
            let av = a.${n}; in
            if isAttrs av && isAttrs bv && !(av ? _type) && !(bv ? _type) then merge av bv
            else if isList av && isList bv then av ++ bv
            else bv)
          (intersectAttrs a b);

      # Evaluate `modules` and their imports. Returns the merged config and a
      # description of every module.
      evalModules = { modules, args }:
        let
          allArgs = args // { inherit config; };
          entry = parent: i: m:
            let named = isPath m || isString m; in
            {
              key = if named then toString m else "${parent}/${toString i}";
              result = applyModule allArgs (if named then import m else m);
            };
          entries = parent: ms: builtins.genList (i: entry parent i (builtins.elemAt ms i)) (builtins.length ms);
          closure = genericClosure {
            startSet = entries "<modules>" modules;
            operator = e: entries e.key (e.result.imports or [ ]);
          };
          # Option defaults (`mkOption { default = ...; }`) from full-form
          # modules, under every definition.
          defaultsOf = opts:
            if (opts._type or null) == "option" then opts.default or { }
            else if isAttrs opts then mapAttrs (_: defaultsOf) opts
            else { };
          defaults = foldl' merge { } (map (e: defaultsOf (e.result.options or { })) closure);
          # A body under `mkIf`/`mkMerge` is described but not merged: its
          # condition may read `config` itself.
          config = foldl' merge defaults (filter (b: !(b ? _type)) (map (e: bodyOf e.result) closure));
        in
        {
          inherit config;
          # What each module evaluates to, not its text or where its file
          # is: neither a comment nor a moved file changes a NixOS system.
          description = map (e: describe (bodyOf e.result)) closure;
        };

      # A package set: named stub packages and builders, all derivations whose
      # drvPath depends on the system, the config and their arguments.
      mkPkgs = { system, config ? { }, overlays ? [ ] }:
        let
          base = final: import ./pkgs.nix { inherit lib system config final; };
          extended = foldl' (f: overlay: final: let prev = f final; in prev // overlay final prev) base overlays;
          pkgs = extended pkgs // {
            __stubPkgs = {
              inherit system config;
              overlays = map (o: describe (o pkgs pkgs)) overlays;
            };
          };
        in
        pkgs;
    };
  };
in
lib
