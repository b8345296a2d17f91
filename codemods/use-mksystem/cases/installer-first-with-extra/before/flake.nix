{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    nixos-hardware.url = "github:NixOS/nixos-hardware";
  };

  outputs = { self, nixpkgs, nixos-hardware, ... }@inputs:
    let
      mkHost = hostname: { system ? "x86_64-linux", extra ? [ ] }:
        nixpkgs.lib.nixosSystem {
          inherit system;
          specialArgs = { inherit inputs hostname; };
          modules = [
            ./hosts/${hostname}
            ./modules/base.nix
          ] ++ extra;
        };
    in
    {
      nixosConfigurations = {
        kestrel = mkHost "kestrel" { };
        heron = mkHost "heron" { system = "aarch64-linux"; };
        # reinstalled from the installer
        osprey = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; hostname = "osprey"; };
          modules = [
            "${nixpkgs}/nixos/modules/installer/scan/not-detected.nix"
            ./hosts/osprey
            ./modules/base.nix
            nixos-hardware.nixosModules.common-cpu-intel # the CPU
            ./hosts/osprey/disks.nix
          ];
        };
        # the install image shares nothing with the others
        iso = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [
            ({ lib, ... }: {
              isoImage.squashfsCompression = "zstd";
              boot.loader.grub.enable = lib.mkForce false;
            })
          ];
        };
      };
    };
}
