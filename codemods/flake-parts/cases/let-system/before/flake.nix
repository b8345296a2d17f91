{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    let
      system = "x86_64-linux";
      pkgs = nixpkgs.legacyPackages.${system};
    in
    {
      nixosConfigurations.laptop = nixpkgs.lib.nixosSystem {
        inherit system;
        modules = [ ./laptop.nix ];
      };

      packages.${system}.default = pkgs.writeShellScriptBin "backup" ''
        rsync -a ~/ /mnt/backup/
      '';

      devShells.${system}.default = pkgs.mkShell {
        packages = [ pkgs.rsync ];
      };
    };
}
