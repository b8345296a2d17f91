{
  description = "Every per-system output in a file of its own";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs }:
    let
      eachSystem = nixpkgs.lib.genAttrs [ "x86_64-linux" "aarch64-darwin" ];
    in
    {
      devShells = import ./nix/shells.nix { inherit nixpkgs eachSystem; };
      formatter = import ./nix/formatter.nix { inherit eachSystem nixpkgs; };
    };
}
