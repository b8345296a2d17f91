{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  # Hosts live in ./hosts since the split.
  outputs = { self, nixpkgs, home-manager, ... }: {
    nixosConfigurations = import ./hosts { inherit nixpkgs home-manager; };
  };
}
