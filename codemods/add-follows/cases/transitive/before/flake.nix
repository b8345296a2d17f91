{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    tools.url = "git+https://git.example.org/ops/tools";
  };

  outputs = { self, nixpkgs, tools }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        tools.nixosModules.default
        ./configuration.nix
      ];
    };
  };
}
