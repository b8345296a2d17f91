{
  inputs = {
    nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
    flake-parts.url = "github:hercules-ci/flake-parts";
  };

  outputs = { self, nixpkgs-unstable, ... }@inputs:
    let
      pkgsFor = system: import nixpkgs-unstable { inherit system; };
    in
    inputs.flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [
        "x86_64-linux"
      ];

      perSystem =
        { pkgs, system, ... }:
        {
          _module.args.pkgs = pkgsFor system;

          packages = {
            default = pkgs.neovim;
          };
        };
    };
}
