# Two servers built by a small local helper.
{
  description = "dave's servers";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }@inputs:
    let
      # Every host gets these, and the eval check below uses them too.
      commonModules = [
        ./modules/base.nix
        ./modules/ssh.nix
      ];
    in
    {
      nixosConfigurations = import ./hosts { inherit commonModules inputs self; };

      checks = import ./checks { inherit commonModules nixpkgs self; };
    };
}
