# The workstation and server flake: NixOS hosts with Home Manager as a module,
# standalone Home Manager profiles for the machines without root, and an
# installer image. Modelled on the shape of a real 550-line configuration.
{
  description = "vp's machines";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    nixpkgs-bleeding.url = "github:NixOS/nixpkgs/nixos-unstable";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    nixos-generators = {
      url = "github:nix-community/nixos-generators";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, nixpkgs-bleeding, home-manager, nixos-generators, ... }@inputs:
    let
      pkgsFor = system: import nixpkgs {
        inherit system;
        config.allowUnfree = true;
      };
      bleedingFor = system: import nixpkgs-bleeding {
        inherit system;
        config.allowUnfree = true;
      };

      # Hand-written per-system packages.
      mkPackagesFor = system:
        let
          pkgs = pkgsFor system;
        in
        {
          hello-vp = pkgs.writeShellScriptBin "hello-vp" ''
            echo "hello from ${system}"
          '';
        };

      # Pure evaluation has no currentSystem: then this quietly says x86_64.
      currentSystem =
        if builtins ? currentSystem then builtins.currentSystem else "x86_64-linux";

      # Borrow a host's configuration so that modules reading osConfig work.
      osConfigFor = system:
        if system == "aarch64-linux" then self.nixosConfigurations.m1.config
        else self.nixosConfigurations.hetzner-sway.config;

      # Standalone Home Manager profiles.
      mkHome = modulePath: home-manager.lib.homeManagerConfiguration {
        pkgs = pkgsFor currentSystem;
        extraSpecialArgs = {
          inherit inputs;
          osConfig = osConfigFor currentSystem;
          pkgs-bleeding = bleedingFor currentSystem;
        };
        modules = [ modulePath ];
      };

      # Generic host builder; only `container` uses it.
      mkSystem = { hostname, system, modules ? [ ] }:
        nixpkgs.lib.nixosSystem {
          inherit system;
          specialArgs = { inherit inputs self; };
          modules = [
            ./configurations/${hostname}.nix
            ./modules
            home-manager.nixosModules.home-manager
            {
              home-manager = {
                useGlobalPkgs = true;
                useUserPackages = true;
                backupFileExtension = "backup";
                extraSpecialArgs = {
                  inherit inputs self;
                  pkgs-bleeding = bleedingFor system;
                };
                users.vp = { imports = [ ./home-vp.nix ]; };
              };
            }
          ] ++ modules;
        };
    in
    {
      nixosConfigurations = {
        # The Hetzner box, headless sway.
        hetzner-sway = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs self; };
          modules = [
            ./configurations/hetzner-sway.nix
            ./modules
            home-manager.nixosModules.home-manager
            {
              home-manager = {
                useGlobalPkgs = true;
                useUserPackages = true;
                backupFileExtension = "backup";
                extraSpecialArgs = {
                  inherit inputs self;
                  pkgs-bleeding = bleedingFor "x86_64-linux";
                };
                users.vp = { imports = [ ./home-vp.nix ]; };
              };
            }
          ];
        };

        # The M1 laptop on Asahi.
        m1 = nixpkgs.lib.nixosSystem {
          system = "aarch64-linux";
          specialArgs = { inherit inputs self; };
          modules = [
            ./hardware/m1.nix
            ./configurations/m1.nix
            ./modules
            home-manager.nixosModules.home-manager
            {
              home-manager = {
                useGlobalPkgs = true;
                useUserPackages = true;
                backupFileExtension = "backup";
                extraSpecialArgs = {
                  inherit inputs self;
                  pkgs-bleeding = bleedingFor "aarch64-linux";
                };
                users.vp = { imports = [ ./home-vp.nix ]; };
              };
            }
          ];
        };

        # Build container; the one host that goes through mkSystem.
        container = mkSystem {
          hostname = "container";
          system = "x86_64-linux";
        };

        # The work VM, written out by hand like the others.
        workvm = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs self; };
          modules = [
            ./configurations/workvm.nix
            ./modules
            home-manager.nixosModules.home-manager
            {
              home-manager = {
                useGlobalPkgs = true;
                useUserPackages = true;
                extraSpecialArgs = {
                  inherit inputs self;
                  pkgs-bleeding = bleedingFor "x86_64-linux";
                };
                users.code = { imports = [ ./home-code.nix ]; };
              };
            }
          ];
        };
      };

      homeConfigurations = {
        # Same profile as on the hosts, for home-manager switch without root.
        vp = mkHome ./home-vp.nix;
        code = mkHome ./home-code.nix;
        # The Mac: no NixOS underneath.
        darwin = home-manager.lib.homeManagerConfiguration {
          pkgs = pkgsFor "aarch64-darwin";
          extraSpecialArgs = { inherit inputs; };
          modules = [ ./home-darwin.nix ];
        };
      };

      packages = {
        x86_64-linux = mkPackagesFor "x86_64-linux" // {
          # A bootable installer with the same Home Manager setup.
          installer = nixos-generators.nixosGenerate {
            system = "x86_64-linux";
            format = "iso";
            modules = [
              ./configurations/installer.nix
              home-manager.nixosModules.home-manager
              {
                home-manager = {
                  useGlobalPkgs = true;
                  useUserPackages = true;
                  backupFileExtension = "backup";
                  extraSpecialArgs = { inherit inputs self; };
                  users.vp = { imports = [ ./home-vp.nix ]; };
                };
              }
            ];
          };
        };
        aarch64-linux = mkPackagesFor "aarch64-linux";
      };

      devShells = {
        x86_64-linux.default = (pkgsFor "x86_64-linux").mkShell {
          packages = [ (pkgsFor "x86_64-linux").git ];
        };
        aarch64-linux.default = (pkgsFor "aarch64-linux").mkShell {
          packages = [ (pkgsFor "aarch64-linux").git ];
        };
        aarch64-darwin.default = (pkgsFor "aarch64-darwin").mkShell {
          packages = [ (pkgsFor "aarch64-darwin").git ];
        };
      };

      checks = {
        x86_64-linux.hetzner = self.nixosConfigurations.hetzner-sway.config.system.build.toplevel;
        aarch64-linux.m1 = self.nixosConfigurations.m1.config.system.build.toplevel;
      };

      formatter = {
        x86_64-linux = (pkgsFor "x86_64-linux").nixpkgs-fmt;
        aarch64-linux = (pkgsFor "aarch64-linux").nixpkgs-fmt;
        aarch64-darwin = (pkgsFor "aarch64-darwin").nixpkgs-fmt;
      };

      # Reusable modules.
      nixosModules.default = import ./modules;
      homeManagerModules.default = import ./home-modules;

      # Templates for new hosts would go here once there is a second
      # person using this flake; until then every host is spelled out
      # above. When adding a host:
      #   1. write configurations/<host>.nix;
      #   2. add it to nixosConfigurations;
      #   3. run nixos-rebuild build --flake .#<host> first.
      # The installer image is built with:
      #   nix build .#packages.x86_64-linux.installer
      # and the standalone profiles switched with:
      #   home-manager switch --flake .#vp
      # (on the Mac: .#darwin). The currentSystem fallback above means a
      # pure evaluation of .#vp on an aarch64 machine still builds for
      # x86_64: pass --impure there.
    };
}
