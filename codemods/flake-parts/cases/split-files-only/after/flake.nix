{
  description = "Every per-system output in a file of its own";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  inputs.flake-parts.inputs.nixpkgs-lib.follows = "nixpkgs";

  outputs = { self, nixpkgs, flake-parts }@inputs:
    flake-parts.lib.mkFlake { inherit inputs; } {
      imports = [
        (import ./nix/shells.nix { inherit nixpkgs; })
        (import ./nix/formatter.nix { inherit nixpkgs; })
      ];

      systems = [
        "x86_64-linux"
        "aarch64-darwin"
      ];
    };
}
