{
  inputs,
  self,
  unstableFor,
  ...
}:
let
  inherit (inputs) home-manager nixpkgs;

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
        users.alice = { imports = [ ../home-alice.nix ]; };
      };
    },
  }:
    nixpkgs.lib.nixosSystem {
      inherit system;
      inherit specialArgs;
      modules = prependModules ++ [
        ../configurations/${hostname}.nix
        ../modules
        hostModule

        home-manager.nixosModules.home-manager
        homeManager
      ] ++ modules;
    };
in
{
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
      ../hardware/m1.nix
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
        users.alice = { imports = [ ../home-alice.nix ]; };
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
}
