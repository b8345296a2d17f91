# Home Manager modules shared by the NixOS-integrated and the standalone
# profiles.
{
  imports = [
    ./shell/bash.nix
    ./editors/neovim.nix
  ];
}
