{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = args:
    let
      # The inputs without self, for the hosts.
      inputs = removeAttrs args [ "self" ];
      forAllSystems = inputs.nixpkgs.lib.genAttrs [ "x86_64-linux" ];
    in
    {
      packages = forAllSystems (system: {
        default = inputs.nixpkgs.legacyPackages.${system}.hello;
      });
    };
}
