# A stub of flake-parts for flake-refactor's `--verify` tests: `lib.mkFlake`
# collects the module and its `imports` (paths, functions, sets), merges
# their `flake` attributes recursively, and evaluates `perSystem` for each
# of `systems`, as flake-parts documents it:
# - `packages`, `apps`, `checks`, `devShells` and `legacyPackages` are
#   transposed (`<name>.<system>`) and exist on every system, empty when
#   perSystem does not set them; `formatter.<system>` exists where perSystem
#   sets one (probing every system);
# - perSystem's arguments are `system`, `pkgs` (`_module.args.pkgs` when
#   perSystem sets it, else `inputs.nixpkgs.legacyPackages.<system>`),
#   `inputs'`, `self'`, `config` and `lib`; any other attribute perSystem
#   returns is an error, as perSystem has no freeform type;
# - `flake.nixosModules.<name>` comes out wrapped (`{ _class; _file;
#   imports = [ module ]; }`) and `flake.overlays.<name>` eta-expanded.
# Not flake-parts' module system: no options, types or priorities.
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
          transposed = [ "packages" "apps" "checks" "devShells" "legacyPackages" ];
          allowed = transposed ++ [ "formatter" "_module" ];
          forSystem = system:
            let
              pargs = {
                inherit system;
                pkgs = result._module.args.pkgs or inputs.nixpkgs.legacyPackages.${system};
                inputs' = builtins.mapAttrs (_: i: i) inputs;
                self' = { };
                config = { };
                lib = args.lib;
              };
              check = r:
                let bad = builtins.filter (n: !builtins.elem n allowed) (builtins.attrNames r);
                in if bad == [ ] then r
                  else throw "The option `perSystem.${builtins.head bad}' does not exist (flake-parts stub)";
              result = builtins.foldl' (acc: m: merge acc (check (m.perSystem pargs))) { } perSystems;
            in
            result;
          bySystem = builtins.listToAttrs (map (system: { name = system; value = forSystem system; }) systems);
          perSystemOutputs = builtins.listToAttrs (map
            (name: {
              inherit name;
              value = builtins.mapAttrs (_: r: r.${name} or { }) bySystem;
            })
            transposed) // {
            formatter = builtins.mapAttrs (_: r: r.formatter)
              (builtins.removeAttrs bySystem
                (builtins.filter (s: (bySystem.${s}.formatter or null) == null) systems));
          };
          wrapFlake = f: f
            // (if f ? nixosModules then {
              nixosModules = builtins.mapAttrs
                (n: m: { _class = "nixos"; _file = "flake.nix#nixosModules.${n}"; imports = [ m ]; })
                f.nixosModules;
            } else { })
            // (if f ? overlays then {
              overlays = builtins.mapAttrs (_: o: final: prev: o final prev) f.overlays;
            } else { });
        in
        merge perSystemOutputs (wrapFlake flakeOutputs);
    in
    {
      lib = { inherit mkFlake; };
    };
}
