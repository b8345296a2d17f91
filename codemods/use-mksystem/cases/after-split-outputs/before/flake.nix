# flake.nix — alice's machines: NixOS hosts with Home Manager as a module,
# plus standalone Home Manager profiles for the boxes where we are not root.
#
#   sudo nixos-rebuild switch --flake .#hetzner-sway
#   home-manager switch --flake .#alice --impure     (needs currentSystem)
#
# Keep this file boring. Everything host-specific lives in ./configurations,
# everything user-specific in ./home-modules.
{
  description = "NixOS + Home Manager configuration for hetzner-sway, m1 and builder";

  inputs = {
    # Stable channel for the systems themselves.
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

    # Bleeding edge, only for the handful of packages that need it
    # (handed to Home Manager as `pkgs-unstable`).
    nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";

    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };

    # Not following nixpkgs on purpose: darwin breaks more often than not
    # when it is pinned to the NixOS channel.
    nix-darwin.url = "github:LnL7/nix-darwin";

    # Asahi kernel, firmware extraction and GPU driver for the M1 laptop.
    apple-silicon = {
      url = "github:tpwrules/nixos-apple-silicon";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, nixpkgs-unstable, home-manager, nix-darwin, ... }@inputs:
    let
      # Every architecture something is built for. aarch64-darwin only gets
      # a Home Manager profile and a dev shell.
      systems = [ "x86_64-linux" "aarch64-linux" "aarch64-darwin" ];
      forAllSystems = nixpkgs.lib.genAttrs systems;

      pkgsFor = system: import nixpkgs {
        inherit system;
        config.allowUnfree = true;
      };

      unstableFor = system: import nixpkgs-unstable {
        inherit system;
        config.allowUnfree = true;
      };
    in
    {
      nixosConfigurations = import ./hosts { inherit inputs self unstableFor; };

      # nix-darwin is pinned above but not used yet; the Mac still runs the
      # standalone `mac` profile.
      # darwinConfigurations.mbp = nix-darwin.lib.darwinSystem {
      #   system = "aarch64-darwin";
      #   modules = [ { services.nix-daemon.enable = true; } ];
      # };

      homeConfigurations = import ./home {
        inherit
          inputs
          pkgsFor
          self
          unstableFor
          ;
      };

      # Spelled out per system instead of forAllSystems: nothing here builds
      # on darwin yet.
      packages = import ./packages { inherit pkgsFor self; };

      checks = import ./checks { inherit nixpkgs pkgsFor self; };

      devShells = import ./devshells { inherit forAllSystems pkgsFor; };

      formatter = forAllSystems (system: (pkgsFor system).nixpkgs-fmt);

      nixosModules.default = import ./modules;
      homeManagerModules.default = import ./home-modules;
    };
}
