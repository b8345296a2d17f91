{ lib, ... }:
{
  alpha = lib.mkHost { name = "alpha"; };
  beta = lib.mkHost {
    name = "beta";
    # beta has the GPU
    extraModules = [
      { hardware.nvidia.open = true; }
      { services.xserver.videoDrivers = [ "nvidia" ]; }
    ];
  };
}
