{
  outputs = { self, nixpkgs, ... }@inputs:
    let
      # Every host gets these.
      commonModules = [ ./modules/base.nix ];
    in
    {
      nixosConfigurations = import ./hosts { inherit commonModules inputs self; };
      checks.x86_64-linux.base = commonModules;
    };
}
