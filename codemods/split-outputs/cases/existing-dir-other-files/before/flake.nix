# hosts/ already holds host files; split-outputs adds hosts/default.nix
# beside them, and the paths into hosts/ become local to it.
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }: {
    nixosConfigurations = {
      tern = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          ./hosts/tern.nix
          { services.getty.greetingLine = builtins.readFile ./assets/banner.bin; }
        ];
      };
    };
  };
}
