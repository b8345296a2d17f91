{ inputs, ... }:
let
  inherit (inputs) nixpkgs;

  hostNames = import ../hosts;
in
nixpkgs.lib.genAttrs hostNames (name:
  nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    specialArgs = { inherit inputs; };
    modules = [
      ../hosts/${name}.nix
      { networking.hostName = name; }
    ];
  })
