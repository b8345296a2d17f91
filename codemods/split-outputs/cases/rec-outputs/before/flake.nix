# Outputs as a `rec` set: checks read nixosConfigurations directly.
{
  description = "erin's render farm";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }: rec {
    lib = import ./lib { inherit nixpkgs; };

    nixosConfigurations = {
      alpha = lib.mkHost { name = "alpha"; };
      beta = lib.mkHost {
        name = "beta";
        # beta has the GPU
        extraModules = [
          { hardware.nvidia.open = true; }
          { services.xserver.videoDrivers = [ "nvidia" ]; }
        ];
      };
    };

    checks = {
      x86_64-linux = {
        alpha = nixosConfigurations.alpha.config.system.build.toplevel;
        beta = nixosConfigurations.beta.config.system.build.toplevel;
      };
    };
  };
}
