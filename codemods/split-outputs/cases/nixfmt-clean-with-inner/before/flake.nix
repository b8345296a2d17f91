# A toolbox VM; the inline module has its own `pkgs`, unrelated to the
# `pkgs` bound in the let below.
{
  description = "toolbox VM";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs, ... }:
    let
      system = "x86_64-linux";
      # The flake's own package set; only the dev shell uses it.
      pkgs = nixpkgs.legacyPackages.${system};
    in
    {
      nixosConfigurations = {
        toolbox = nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [
            ./toolbox.nix
            ({ pkgs, ... }: {
              environment.systemPackages = with pkgs; [
                git
                vim
              ];
            })
          ];
        };
      };

      devShells = {
        x86_64-linux.default = pkgs.mkShell {
          packages = with pkgs; [
            nixos-rebuild
            qemu
          ];
        };
      };
    };
}
