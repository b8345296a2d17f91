{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs }:
    let
      mkPackages = system: {
        default = nixpkgs.legacyPackages.${system}.htop;
      };
    in
    {
      # Spelled out: both machines are Linux.
      packages = {
        x86_64-linux = mkPackages "x86_64-linux";
        aarch64-linux = mkPackages "aarch64-linux";
      };

      devShells.x86_64-linux.default = nixpkgs.legacyPackages.x86_64-linux.mkShell { };
      devShells.aarch64-linux.default = nixpkgs.legacyPackages.aarch64-linux.mkShell { };
    };
}
