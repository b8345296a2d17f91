# hosts/ already holds host files; split-outputs adds hosts/default.nix
# beside them, and the paths into hosts/ become local to it.
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }: {
    nixosConfigurations = import ./hosts { inherit nixpkgs; };
  };
}
