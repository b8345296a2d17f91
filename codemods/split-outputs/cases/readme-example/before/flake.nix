{
  outputs = { self, nixpkgs, ... }@inputs:
    let
      # Every host gets these.
      commonModules = [ ./modules/base.nix ];
      mkHost = name: nixpkgs.lib.nixosSystem {
        specialArgs = { inherit inputs self; };
        modules = commonModules ++ [ ./systems/${name}.nix ];
      };
    in
    {
      nixosConfigurations = {
        wren = mkHost "wren";
      };
      checks.x86_64-linux.base = commonModules;
    };
}
