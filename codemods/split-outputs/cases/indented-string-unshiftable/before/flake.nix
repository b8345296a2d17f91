# Gate host. The banner text was pasted from the vendor's template, so its
# lines start in column 0; moving it deeper or shallower changes the value.
{
  description = "gate host";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    let
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
    in
    {
      nixosConfigurations = {
        gate = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [
            ./gate.nix
            {
              environment.etc."issue".text = ''
Authorised use only.
  All sessions are logged.
              '';
            }
          ];
        };
      };

      packages = {
        x86_64-linux.banner = pkgs.writeText "banner" ''Gate host
          managed by Nix, do not edit
        '';
      };
    };
}
