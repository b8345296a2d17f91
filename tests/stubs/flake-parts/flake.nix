# A stub of flake-parts for flake-refactor's `--verify` tests: `lib.mkFlake`
# collects the module and its `imports` (paths, functions, sets), merges
# their `flake` attributes recursively, and transposes `perSystem` outputs
# (packages, apps, checks, devShells, formatter, legacyPackages) for each
# of `systems`. Enough to tell whether a refactor moved a module's content
# without changing it; not flake-parts' module system.
{
  description = "flake-refactor test stub of flake-parts";

  outputs = { self }:
    let
      isPath = builtins.isPath;
      merge = a: b:
        builtins.foldl'
          (acc: k:
            acc // {
              ${k} =
                if acc ? ${k} && builtins.isAttrs acc.${k} && builtins.isAttrs b.${k}
                  && !(b.${k} ? type && b.${k}.type == "derivation")
                then merge acc.${k} b.${k}
                else b.${k};
            })
          a
          (builtins.attrNames b);
      mkFlake = { inputs, ... }: root:
        let
          args = { inherit inputs; self = inputs.self; lib = inputs.nixpkgs.lib or { }; };
          load = m:
            let
              value = if isPath m then import m else m;
              module = if builtins.isFunction value then value args else value;
            in
            [ module ] ++ builtins.concatMap load (module.imports or [ ]);
          modules = load root;
          systems = builtins.foldl' (acc: m: acc ++ (m.systems or [ ])) [ ] modules;
          flakeOutputs = builtins.foldl' (acc: m: merge acc (m.flake or { })) { } modules;
          perSystems = builtins.filter (m: m ? perSystem) modules;
          forSystem = system:
            let
              pargs = {
                inherit system;
                pkgs = inputs.nixpkgs.legacyPackages.${system};
                inputs' = builtins.mapAttrs (_: i: i) inputs;
                self' = { };
                config = { };
                lib = args.lib;
              };
            in
            builtins.foldl' (acc: m: merge acc (m.perSystem pargs)) { } perSystems;
          transposed = [ "packages" "apps" "checks" "devShells" "formatter" "legacyPackages" ];
          perSystemOutputs = builtins.listToAttrs (map
            (name: {
              inherit name;
              value = builtins.listToAttrs (map
                (system: { name = system; value = (forSystem system).${name} or { }; })
                systems);
            })
            transposed);
        in
        merge perSystemOutputs flakeOutputs;
    in
    {
      lib = { inherit mkFlake; };
    };
}
