{
  description = "Hosts under `with nixpkgs.lib;`, each with its own file and host name";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";

  outputs = { self, nixpkgs }:
    with nixpkgs.lib;
    let
      mkSystem = {
        system ? "x86_64-linux",
        hostModule,
        hostName,
      }:
        nixosSystem {
          inherit system;
          modules = [ hostModule { networking.hostName = hostName; } ];
        };
    in
    {
      # Büro-Rechner
      nixosConfigurations.kiefer = mkSystem {
        hostModule = ./hosts/kiefer.nix;
        hostName = "kiefer";
      };
      nixosConfigurations.eiche = mkSystem {
        hostModule = ./hosts/eiche.nix; # the NAS
        hostName = "eiche";
      };
      # a Raspberry Pi
      nixosConfigurations.birke = mkSystem {
        system = "aarch64-linux";
        hostModule = ./hosts/birke.nix;
        hostName = "birke";
      };
      lib.hostNames = attrNames self.nixosConfigurations;
    };
}
