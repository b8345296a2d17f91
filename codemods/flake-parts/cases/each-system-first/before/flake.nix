{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    flake-utils.url = "github:numtide/flake-utils";
  };

  outputs = { self, nixpkgs, flake-utils, ... }:
    flake-utils.lib.eachSystem [ "x86_64-linux" "aarch64-linux" ] (system: {
      checks.eval = nixpkgs.legacyPackages.${system}.hello;
    }) // {
      # Shared by every host.
      nixosModules.default = { services.openssh.enable = true; };
    };
}
