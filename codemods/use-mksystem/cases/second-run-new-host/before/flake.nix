{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    nixos-hardware.url = "github:NixOS/nixos-hardware";
  };

  outputs = { self, nixpkgs, nixos-hardware, ... }@inputs:
    let
      mkHost = hostname: {
        system ? "x86_64-linux",
        extra ? [ ],
        prependModules ? [ ],
      }:
        nixpkgs.lib.nixosSystem {
          inherit system;
          specialArgs = { inherit inputs hostname; };
          modules = prependModules ++ [
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
        # (osprey went through mkHost on an earlier run; plover is new)
        osprey = mkHost "osprey" {
          extra = [
            nixos-hardware.nixosModules.common-cpu-intel # the CPU
            ./hosts/osprey/disks.nix
          ];
          prependModules = [
            "${nixpkgs}/nixos/modules/installer/scan/not-detected.nix"
          ];
        };
        plover = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; hostname = "plover"; };
          modules = [
            ./hosts/plover/hardware.nix
            ./hosts/plover
            ./modules/base.nix
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
