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

      # Hand-written per-system package sets (see `packages` below).
      mkPackagesFor = system:
        let
          pkgs = pkgsFor system;
        in
        {
          # Tiny wrapper so `nix run .#hello-wrapper` works on every box;
          # mostly a smoke test for the binary cache.
          hello-wrapper = pkgs.writeShellScriptBin "hello-wrapper" ''
            echo "hello from ${system}"
            exec ${pkgs.hello}/bin/hello "$@"
          '';

          # `rebuild [host]` — defaults to the current hostname.
          rebuild = pkgs.writeShellScriptBin "rebuild" ''
            set -euo pipefail
            host="''${1:-$(hostname -s)}"
            echo "rebuilding $host from ${self.shortRev or "dirty tree"}"
            exec nixos-rebuild switch --flake "${self}#$host" --use-remote-sudo
          '';

          default = pkgs.symlinkJoin {
            name = "alice-tools";
            paths = [
              (pkgs.writeShellScriptBin "flake-age" ''
                echo "last modified: ${toString (self.lastModified or 0)}"
              '')
            ];
          };
        };

      # Standalone Home Manager on a NixOS box: borrow the host's config so
      # the modules that read `osConfig` keep evaluating. Guesses the host
      # from the architecture, which only works while there is one per arch.
      osConfigFor = system:
        if system == "aarch64-linux" then self.nixosConfigurations.m1.config
        else self.nixosConfigurations.hetzner-sway.config;

      # Impure! Only used by the standalone profiles (`--impure`).
      currentSystem = builtins.currentSystem;

      # Generic host builder. Only `builder` uses it so far; hetzner-sway and
      # m1 predate it and were never migrated.
      mkSystem = {
        hostname,
        system,
        modules ? [ ],
        specialArgs ? {
          inherit inputs self;
          pkgs-unstable = unstableFor system;
        },
        prependModules ? [ ],
        hostModule ? { networking.hostName = hostname; },
        homeManager ? {
          home-manager = {
            useGlobalPkgs = true;
            useUserPackages = true;
            backupFileExtension = "backup";
            extraSpecialArgs = {
              inherit inputs self;
              pkgs-unstable = unstableFor system;
            };
            users.alice = { imports = [ ./home-alice.nix ]; };
          };
        },
      }:
        nixpkgs.lib.nixosSystem {
          inherit system;
          inherit specialArgs;
          modules = prependModules ++ [
            ./configurations/${hostname}.nix
            ./modules
            hostModule

            home-manager.nixosModules.home-manager
            homeManager
          ] ++ modules;
        };
    in
    {
      nixosConfigurations = {
        # Hetzner Cloud CX32 in Falkenstein. Headless Sway, reached over
        # wayvnc through Tailscale.
        hetzner-sway = mkSystem {
          hostname = "hetzner-sway";
          system = "x86_64-linux";
          specialArgs = { inherit inputs self; };
          # Build metadata, read by the motd and by `nixos-version --json`
          # wrappers. Same block as in m1 below — keep them in sync.
          hostModule = {
            environment.etc."nixos-metadata".text = ''
              GIT_COMMIT=${self.rev or self.dirtyRev or "unknown"}
              GIT_LAST_MODIFIED=${toString (self.lastModified or 0)}
              NIXPKGS_REV=${nixpkgs.rev or "unknown"}
              HOME_MANAGER_REV=${home-manager.rev or "unknown"}
            '';
          };
        };

        # MacBook Air M1 running NixOS on Asahi. Needs the apple-silicon
        # input for the kernel and the firmware.
        m1 = mkSystem {
          hostname = "m1";
          system = "aarch64-linux";
          specialArgs = { inherit inputs self; };
          prependModules = [
            inputs.apple-silicon.nixosModules.apple-silicon-support
            ./hardware/m1.nix
          ];
          # Build metadata (copy of the block in hetzner-sway).
          hostModule = {
            environment.etc."nixos-metadata".text = ''
              GIT_COMMIT=${self.rev or self.dirtyRev or "unknown"}
              GIT_LAST_MODIFIED=${toString (self.lastModified or 0)}
              NIXPKGS_REV=${nixpkgs.rev or "unknown"}
              ASAHI_REV=${inputs.apple-silicon.rev or "unknown"}
            '';
          };
          homeManager = { config, ... }: {
            home-manager = {
              useGlobalPkgs = true;
              useUserPackages = true;
              backupFileExtension = "backup";
              extraSpecialArgs = {
                inherit inputs self;
                pkgs-unstable = unstableFor "aarch64-linux";
                # Lets home modules look at the NixOS side, e.g. the
                # hostname or whether sway is enabled.
                osConfig = config;
              };
              users.alice = { imports = [ ./home-alice.nix ]; };
            };
          };
        };

        # Remote builder in the basement (Keller). The only host that goes
        # through mkSystem.
        builder = mkSystem {
          hostname = "builder";
          system = "x86_64-linux";
          modules = [
            {
              # Let the laptop offload aarch64 builds via binfmt.
              boot.binfmt.emulatedSystems = [ "aarch64-linux" ];
              nix.settings.max-jobs = 8;
            }
          ];
        };

        # Old Hetzner box with i3, retired 2024-03 when sway became usable
        # headless. Kept for reference — 古い設定、消さないで.
        # hetzner = mkSystem {
        #   hostname = "hetzner-sway";
        #   system = "x86_64-linux";
        #   modules = [
        #     { services.xserver.windowManager.i3.enable = true; }
        #   ];
        # };
      };

      # nix-darwin is pinned above but not used yet; the Mac still runs the
      # standalone `mac` profile.
      # darwinConfigurations.mbp = nix-darwin.lib.darwinSystem {
      #   system = "aarch64-darwin";
      #   modules = [ { services.nix-daemon.enable = true; } ];
      # };

      homeConfigurations = {
        # Same profile as the NixOS module, for `home-manager switch` without
        # root. osConfig is faked from whichever host matches the arch.
        alice = home-manager.lib.homeManagerConfiguration {
          pkgs = pkgsFor currentSystem;
          extraSpecialArgs = {
            inherit inputs;
            osConfig = osConfigFor currentSystem;
            pkgs-unstable = unstableFor currentSystem;
          };
          modules = [ ./home-alice.nix ];
        };

        # Service account on the builder: shell and editor only.
        ops = home-manager.lib.homeManagerConfiguration {
          pkgs = pkgsFor currentSystem;
          extraSpecialArgs = {
            inherit inputs;
            osConfig = osConfigFor currentSystem;
            pkgs-unstable = unstableFor currentSystem;
          };
          modules = [ ./home-ops.nix ];
        };

        # The work Mac. No NixOS underneath, so no osConfig.
        mac = home-manager.lib.homeManagerConfiguration {
          pkgs = pkgsFor "aarch64-darwin";
          extraSpecialArgs = {
            inherit inputs;
            pkgs-unstable = unstableFor "aarch64-darwin";
          };
          modules = [ ./home-mac.nix ];
        };
      };

      # Spelled out per system instead of forAllSystems: nothing here builds
      # on darwin yet.
      packages = {
        x86_64-linux = mkPackagesFor "x86_64-linux";
        aarch64-linux = mkPackagesFor "aarch64-linux";
      };

      checks = nixpkgs.lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] (system:
        let
          pkgs = pkgsFor system;
          host =
            if system == "aarch64-linux"
            then self.nixosConfigurations.m1
            else self.nixosConfigurations.hetzner-sway;
        in
        {
          inherit (self.packages.${system}) hello-wrapper rebuild;

          # Full system closure: slow, but catches evaluation errors early.
          toplevel = host.config.system.build.toplevel;

          # `nix flake check` also checks formatting of the whole tree.
          formatting = pkgs.runCommand "check-formatting"
            {
              nativeBuildInputs = with pkgs; [ nixpkgs-fmt findutils ];
            } ''
            cd ${self}
            find . -name '*.nix' -exec nixpkgs-fmt --check {} +
            touch $out
          '';
        });

      devShells = forAllSystems (system:
        let
          pkgs = pkgsFor system;
        in
        {
          default = pkgs.mkShell {
            name = "nixos-config";
            packages = with pkgs; [
              git
              nixpkgs-fmt
              nil
              jq
            ];
            shellHook = ''
              echo "nixos-config dev shell (${system})"
              echo "  sudo nixos-rebuild switch --flake .#$(hostname -s)"
              echo "  home-manager switch --flake .#$USER --impure"
            '';
          };
        });

      formatter = forAllSystems (system: (pkgsFor system).nixpkgs-fmt);

      nixosModules.default = import ./modules;
      homeManagerModules.default = import ./home-modules;
    };
}
