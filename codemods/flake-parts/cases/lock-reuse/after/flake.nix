{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    nixvim = {
      url = "github:nix-community/nixvim";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    flake-parts.follows = "nixvim/flake-parts";
  };

  outputs = { self, nixpkgs, nixvim, ... }@inputs:
    inputs.flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [
        "x86_64-linux"
      ];

      perSystem =
        { system, ... }:
        {
          packages = {
            nvim = nixvim.legacyPackages.${system}.makeNixvim { };
          };
        };
    };
}
