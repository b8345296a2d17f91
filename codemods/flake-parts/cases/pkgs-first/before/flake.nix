{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  };

  outputs = { self, nixpkgs, ... }@inputs:
    let
      systems = [ "x86_64-linux" "aarch64-darwin" ];
      pkgsFor = nixpkgs.lib.genAttrs systems (system: import nixpkgs {
        inherit system;
        overlays = [ ];
      });
      # Hands each function the system's package set.
      forEachSystem = f: nixpkgs.lib.genAttrs systems (system: f pkgsFor.${system});
    in
    {
      devShells = forEachSystem (pkgs: {
        default = pkgs.mkShell { packages = [ pkgs.go pkgs.gopls ]; };
      });

      packages = forEachSystem (pkgs: {
        default = pkgs.buildGoModule {
          pname = "tool";
          version = "0.1.0";
          src = ./.;
          vendorHash = null;
        };
      });
    };
}
