{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    haskellNix.url = "github:input-output-hk/haskell.nix";
    nix.url = "github:NixOS/nix/2.24-maintenance";
  };

  outputs = { self, nixpkgs, haskellNix, nix }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        { nixpkgs.overlays = [ haskellNix.overlay nix.overlays.default ]; }
        ./configuration.nix
      ];
    };
  };
}
