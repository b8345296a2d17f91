# Sway, optionally without any physical output (for the VPS).
{ config, lib, pkgs, ... }:
let
  cfg = config.desktop.sway;
in
{
  options.desktop.sway = {
    enable = lib.mkEnableOption "the Sway compositor";
    headless = lib.mkOption {
      type = lib.types.bool;
      default = false;
      description = "Run Sway on the wlroots headless backend.";
    };
  };

  config = lib.mkIf cfg.enable {
    programs.sway = {
      enable = true;
      wrapperFeatures.gtk = true;
      extraPackages = with pkgs; [ foot wmenu swaylock wl-clipboard ];
    };
    environment.sessionVariables = lib.mkIf cfg.headless {
      WLR_BACKENDS = "headless";
      WLR_LIBINPUT_NO_DEVICES = "1";
    };
    xdg.portal.wlr.enable = true;
  };
}
