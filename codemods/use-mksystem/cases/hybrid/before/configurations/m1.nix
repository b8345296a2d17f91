# MacBook Air (M1, 2020) running NixOS on Asahi.
{ config, lib, pkgs, ... }:
{
  networking.hostName = "m1";
  networking.networkmanager.enable = true;

  desktop.sway.enable = true;

  # Battery life matters more than the last few percent of speed.
  services.tlp.enable = true;
  powerManagement.cpuFreqGovernor = lib.mkDefault "schedutil";

  services.pipewire = {
    enable = true;
    pulse.enable = true;
  };

  environment.systemPackages = with pkgs; [ brightnessctl pavucontrol ];

  system.stateVersion = "24.11";
}
