# Flake für die Rechner im Büro — vor jeder Änderung `nix flake check`.
{
  description = "office machines";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs, ... }:
    {
      # The office machines, one plain nixosSystem each.
      # No helper on purpose: there are only two of them.
      # 事務所のマシン一覧
      nixosConfigurations = import ./hosts { inherit nixpkgs; }; # Ende nixosConfigurations

      # Formatter for `nix fmt`.
      formatter.x86_64-linux = nixpkgs.legacyPackages.x86_64-linux.nixpkgs-fmt;
    };
}
