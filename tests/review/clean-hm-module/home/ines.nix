{
  imports = [ ./shell.nix ];
  home.stateVersion = "24.11";
}
