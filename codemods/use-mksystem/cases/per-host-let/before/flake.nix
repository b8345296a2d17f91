{
  description = "Hosts with a let of their own";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, ... }:
    let
      lib = nixpkgs.lib;
    in
    {
      nixosConfigurations = {
        alpha =
          let
            disk = "/dev/sda";
          in
          lib.nixosSystem {
            system = "x86_64-linux";
            modules = [
              ./hosts/alpha.nix
              { boot.loader.grub.device = disk; }
            ];
          };
        beta =
          let
            disk = "/dev/nvme0n1";
          in
          lib.nixosSystem {
            system = "x86_64-linux";
            modules = [
              ./hosts/beta.nix
              { boot.loader.grub.device = disk; }
            ];
          };
      };
    };
}
