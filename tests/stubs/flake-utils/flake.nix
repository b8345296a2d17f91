# A stub of flake-utils for flake-refactor's `--verify` tests.
{
  description = "flake-refactor test stub of flake-utils";

  outputs = { self }:
    let
      defaultSystems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      eachSystem = systems: f:
        builtins.foldl'
          (attrs: system:
            let ret = f system; in
            builtins.foldl'
              (attrs: key: attrs // { ${key} = (attrs.${key} or { }) // { ${system} = ret.${key}; }; })
              attrs
              (builtins.attrNames ret))
          { }
          systems;
    in
    {
      lib = {
        inherit defaultSystems eachSystem;
        allSystems = defaultSystems;
        eachDefaultSystem = eachSystem defaultSystems;
        system = builtins.listToAttrs (map (s: { name = s; value = s; }) defaultSystems);
      };
    };
}
