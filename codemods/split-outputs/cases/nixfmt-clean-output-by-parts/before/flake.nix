# Outputs written by parts, one attribute path per system, as many flakes
# do without a forAllSystems helper.
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs, ... }:
    let
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      armPkgs = nixpkgs.legacyPackages.aarch64-linux;
    in
    {
      # The dev shells, one per system.
      devShells.x86_64-linux.default = pkgs.mkShell {
        packages = [
          pkgs.git
          pkgs.jq
        ];
        shellHook = ''
          echo "x86 shell"
        '';
      };

      # The ARM box has less memory:
      # keep its shell small.
      devShells.aarch64-linux.default = armPkgs.mkShell {
        packages = [ armPkgs.git ];
      }; # no shellHook here

      packages.x86_64-linux.default = pkgs.hello;
      packages.aarch64-linux.default = armPkgs.hello;
    };
}
