{
  nixpkgs,
  pkgsFor,
  self,
  ...
}:
nixpkgs.lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] (system:
  let
    pkgs = pkgsFor system;
    host =
      if system == "aarch64-linux"
      then self.nixosConfigurations.m1
      else self.nixosConfigurations.hetzner-sway;
  in
  {
    inherit (self.packages.${system}) hello-wrapper rebuild;

    # Full system closure: slow, but catches evaluation errors early.
    toplevel = host.config.system.build.toplevel;

    # `nix flake check` also checks formatting of the whole tree.
    formatting = pkgs.runCommand "check-formatting"
      {
        nativeBuildInputs = with pkgs; [ nixpkgs-fmt findutils ];
      } ''
      cd ${self}
      find . -name '*.nix' -exec nixpkgs-fmt --check {} +
      touch $out
    '';
  })
