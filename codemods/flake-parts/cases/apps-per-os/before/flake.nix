{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    let
      systems = [ "x86_64-linux" "aarch64-darwin" ];
      forAllSystems = nixpkgs.lib.genAttrs systems;
    in
    {
      # The same switch app, guarded by the system: exact in perSystem too.
      packages = forAllSystems (system: {
        switch =
          if system == "aarch64-darwin"
          then nixpkgs.legacyPackages.${system}.writeShellScriptBin "switch" "darwin-rebuild switch --flake ."
          else nixpkgs.legacyPackages.${system}.writeShellScriptBin "switch" "nixos-rebuild switch --flake .";
      });

      # Other apps on darwin: stays as written.
      apps = {
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
