{ inputs, self, ... }:
let
  inherit (inputs) home-manager nixpkgs;
in
{
  # ThinkPad X1, the daily driver
  kestrel = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    specialArgs = { inherit inputs; };
    modules = [
      ../machines/kestrel.nix
      home-manager.nixosModules.home-manager
      {
        home-manager.useGlobalPkgs = true;
        home-manager.useUserPackages = true;
        home-manager.users.carol = import ../users/carol.nix;
      }
    ];
  };

  # Desktop under the desk; no Home Manager here.
  heron = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    specialArgs = { inherit inputs; };
    modules = [
      ../machines/heron.nix
      { system.configurationRevision = self.rev or self.dirtyRev or null; }
    ];
  };
}
