{
  inputs,
  pkgsFor,
  self,
  unstableFor,
  ...
}:
let
  inherit (inputs) home-manager;

  # Standalone Home Manager on a NixOS box: borrow the host's config so
  # the modules that read `osConfig` keep evaluating. Guesses the host
  # from the architecture, which only works while there is one per arch.
  osConfigFor = system:
    if system == "aarch64-linux" then self.nixosConfigurations.m1.config
    else self.nixosConfigurations.hetzner-sway.config;
  # Impure! Only used by the standalone profiles (`--impure`).
  currentSystem = builtins.currentSystem;
in
{
  # Same profile as the NixOS module, for `home-manager switch` without
  # root. osConfig is faked from whichever host matches the arch.
  alice = home-manager.lib.homeManagerConfiguration {
    pkgs = pkgsFor currentSystem;
    extraSpecialArgs = {
      inherit inputs;
      osConfig = osConfigFor currentSystem;
      pkgs-unstable = unstableFor currentSystem;
    };
    modules = [ ../home-alice.nix ];
  };

  # Service account on the builder: shell and editor only.
  ops = home-manager.lib.homeManagerConfiguration {
    pkgs = pkgsFor currentSystem;
    extraSpecialArgs = {
      inherit inputs;
      osConfig = osConfigFor currentSystem;
      pkgs-unstable = unstableFor currentSystem;
    };
    modules = [ ../home-ops.nix ];
  };

  # The work Mac. No NixOS underneath, so no osConfig.
  mac = home-manager.lib.homeManagerConfiguration {
    pkgs = pkgsFor "aarch64-darwin";
    extraSpecialArgs = {
      inherit inputs;
      pkgs-unstable = unstableFor "aarch64-darwin";
    };
    modules = [ ../home-mac.nix ];
  };
}
