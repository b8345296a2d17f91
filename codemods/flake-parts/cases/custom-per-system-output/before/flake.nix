{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    let
      forAllSystems = nixpkgs.lib.genAttrs [ "x86_64-linux" "aarch64-linux" ];
    in
    {
      packages = forAllSystems (system: {
        default = nixpkgs.legacyPackages.${system}.hello;
      });

      # Not an output flake-parts knows: stays under `flake`.
      hydraJobs = forAllSystems (system: {
        inherit (self.packages.${system}) default;
      });

      lib.greeting = "hello";
    };
}
