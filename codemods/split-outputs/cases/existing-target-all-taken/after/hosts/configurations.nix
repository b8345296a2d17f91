{ inputs, ... }:
let
  inherit (inputs) nixpkgs;

  hostNames = import ./.;
in
nixpkgs.lib.genAttrs hostNames (name:
  nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    specialArgs = { inherit inputs; };
    modules = [
      ./${name}.nix
      { networking.hostName = name; }
    ];
  })
