# Lobby kiosk. The strings below must keep their exact values when the
# outputs move to other files.
{
  description = "lobby kiosk";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs, ... }:
    {
      nixosConfigurations = import ./hosts { inherit nixpkgs self; };

      devShells = import ./devshells { inherit nixpkgs; };
    };
}
