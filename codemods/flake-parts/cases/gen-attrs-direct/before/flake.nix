{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs, ... }:
    {
      packages = nixpkgs.lib.genAttrs [ "x86_64-linux" "aarch64-darwin" ] (system:
        let
          pkgs = nixpkgs.legacyPackages.${system};
        in
        {
          default = pkgs.writeShellScriptBin "greet" ''
            echo "hello from ${system}"
          '';
        });

      checks = nixpkgs.lib.genAttrs [ "x86_64-linux" "aarch64-darwin" ] (s: {
        greet = self.packages.${s}.default;
      });

      overlays.default = final: prev: { greet = self.packages.${prev.system}.default; };
    };
}
