# Hardware for the M1 MacBook Air. The Asahi module comes from the
# apple-silicon flake input (see flake.nix).
{ config, lib, ... }:
{
  boot.loader.systemd-boot.enable = true;
  # The EFI variables belong to macOS' boot picker; do not touch them.
  boot.loader.efi.canTouchEfiVariables = false;

  hardware.asahi = {
    useExperimentalGPUDriver = true;
    setupAsahiSound = true;
  };

  fileSystems."/" = {
    device = "/dev/disk/by-uuid/7c1e4b2a-55f0-4c1d-9d7e-0f3a2b6c8e41";
    fsType = "ext4";
  };
  fileSystems."/boot" = {
    device = "/dev/disk/by-uuid/3A1F-9C2B";
    fsType = "vfat";
  };

  nixpkgs.hostPlatform = lib.mkDefault "aarch64-linux";
}
