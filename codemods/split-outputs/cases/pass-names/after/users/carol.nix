# carol's Home Manager profile, shared by kestrel and the lab machine.
{ pkgs, ... }:
{
  home.username = "carol";
  home.stateVersion = "24.11";
  home.packages = with pkgs; [ ripgrep bat ];
  programs.git = {
    enable = true;
    userName = "Carol Ferreira";
    userEmail = "carol@example.net";
  };
}
