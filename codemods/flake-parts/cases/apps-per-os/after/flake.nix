{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  inputs.flake-parts.inputs.nixpkgs-lib.follows = "nixpkgs";

  outputs = { self, nixpkgs, ... }@inputs:
    inputs.flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [
        "x86_64-linux"
        "aarch64-darwin"
      ];

      perSystem =
        { system, ... }:
        {
          # The same switch app, guarded by the system: exact in perSystem too.
          packages = {
            switch =
              if system == "aarch64-darwin"
              then nixpkgs.legacyPackages.${system}.writeShellScriptBin "switch" "darwin-rebuild switch --flake ."
              else nixpkgs.legacyPackages.${system}.writeShellScriptBin "switch" "nixos-rebuild switch --flake .";
          };
        };

      # Other apps on darwin: stays as written.
      flake.apps = {
        x86_64-linux.default = {
          type = "app";
          program = "${self.packages.x86_64-linux.switch}/bin/switch";
        };
        aarch64-darwin.default = {
          type = "app";
          program = "${self.packages.aarch64-darwin.switch}/bin/switch";
        };
        aarch64-darwin.brew = {
          type = "app";
          program = "/opt/homebrew/bin/brew";
        };
      };
    };
}
