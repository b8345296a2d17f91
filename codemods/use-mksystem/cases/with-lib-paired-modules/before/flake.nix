{
  description = "Hosts under `with nixpkgs.lib;`, each with its own file and host name";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";

  outputs = { self, nixpkgs }:
    with nixpkgs.lib; {
      # Büro-Rechner
      nixosConfigurations.kiefer = nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/kiefer.nix { networking.hostName = "kiefer"; } ];
      };
      nixosConfigurations.eiche = nixosSystem {
        system = "x86_64-linux";
        modules = [
          ./hosts/eiche.nix # the NAS
          { networking.hostName = "eiche"; }
        ];
      };
      # a Raspberry Pi
      nixosConfigurations.birke = nixosSystem {
        system = "aarch64-linux";
        modules = [ ./hosts/birke.nix { networking.hostName = "birke"; } ];
      };
      lib.hostNames = attrNames self.nixosConfigurations;
    };
}
