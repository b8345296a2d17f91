# The flake lives in nix/ so the repository root stays free for the
# application code; shared modules sit one level up.
{
  description = "ivan's app servers";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }: {
    nixosConfigurations = import ./hosts { inherit nixpkgs self; };
  };
}
