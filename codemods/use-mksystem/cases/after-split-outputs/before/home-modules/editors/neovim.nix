# Neovim from unstable. Reads the host name straight from osConfig, so this
# module only works where a NixOS configuration is available.
{ config, pkgs, pkgs-unstable, osConfig, ... }:
{
  programs.neovim = {
    enable = true;
    package = pkgs-unstable.neovim-unwrapped;
    defaultEditor = true;
    viAlias = true;
    vimAlias = true;
    plugins = with pkgs.vimPlugins; [
      nvim-treesitter.withAllGrammars
      telescope-nvim
    ];
  };

  xdg.configFile."nvim/lua/host.lua".text = ''
    return { name = "${osConfig.networking.hostName}" }
  '';
}
