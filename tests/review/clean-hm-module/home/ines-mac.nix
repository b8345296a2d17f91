{
  imports = [ ./shell.nix ];
  home.username = "ines";
  home.homeDirectory = "/Users/ines";
  home.stateVersion = "24.11";
}
