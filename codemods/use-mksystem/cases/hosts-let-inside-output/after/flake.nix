{
  description = "Hosts under a let of their own, inside nixosConfigurations";
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = inputs:
    let
      inherit (inputs) nixpkgs;
    in
    {
      nixosConfigurations =
        let
          # Every host loads these.
          common = [ ./common.nix ];
          user = "ann";

          mkSystem = {
            extraModules,
          }:
            nixpkgs.lib.nixosSystem {
              system = "x86_64-linux";
              specialArgs = { inherit inputs user; };
              modules = common ++ extraModules;
            };
        in
        {
          a = mkSystem {
            extraModules = [
              ./hosts/a.nix
            ];
          };
          b = mkSystem {
            extraModules = [
              ./hosts/b.nix
              { users.users.${user}.description = "b"; } # per host
            ];
          };
        };
    };
}
