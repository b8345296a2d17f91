{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager.url = "github:nix-community/home-manager/release-24.11";
  };

  outputs = { self, nixpkgs, home-manager, ... }:
    let
      # One standalone profile per (user, host) pair.
      mkHome = { host, modules }: home-manager.lib.homeManagerConfiguration {
        pkgs = nixpkgs.legacyPackages.x86_64-linux;
        extraSpecialArgs = { hostName = host; };
        inherit modules;
      };
    in
    {
      nixosConfigurations = {
        atlas = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./atlas.nix ]; };
        borealis = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./borealis.nix ]; };
      };

      homeConfigurations = {
        "kim@atlas" = mkHome { host = "atlas"; modules = [ ./home/kim.nix ]; };
        "kim@borealis" = mkHome { host = "borealis"; modules = [ ./home/kim.nix ]; };
      };
    };
}
