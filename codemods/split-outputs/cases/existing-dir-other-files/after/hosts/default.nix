{ nixpkgs, ... }:
{
  tern = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [
      ./tern.nix
      { services.getty.greetingLine = builtins.readFile ../assets/banner.bin; }
    ];
  };
}
