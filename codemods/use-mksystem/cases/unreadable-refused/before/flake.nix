{
  description = "A host that differs from the helper everywhere";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, ... }@inputs:
    let
      mkSystem = { hostname }:
        nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            ./hosts/${hostname}.nix
            ./modules
            { networking.firewall.enable = true; }
            { services.openssh.enable = true; }
            { time.timeZone = "Europe/Berlin"; }
            { i18n.defaultLocale = "de_DE.UTF-8"; }
            { boot.tmp.cleanOnBoot = true; }
            { nix.gc.automatic = true; }
          ];
        };
    in
    {
      nixosConfigurations = {
        a = mkSystem { hostname = "a"; };
        b = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [
            ./hosts/b.nix
            ./modules
            { networking.firewall.enable = false; }
            { services.openssh.enable = false; }
            { time.timeZone = "UTC"; }
            { i18n.defaultLocale = "en_US.UTF-8"; }
            { boot.tmp.cleanOnBoot = false; }
            { nix.gc.automatic = false; }
          ];
        };
      };
    };
}
