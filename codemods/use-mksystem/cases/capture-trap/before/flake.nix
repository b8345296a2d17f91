{
  description = "The host's difference reads a name the helper binds";
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, ... }:
    let
      mkSystem = { hostname }:
        let
          pkgs = nixpkgs.legacyPackages.aarch64-linux;
        in
        nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [
            ./hosts/${hostname}.nix
            { environment.systemPackages = [ pkgs.git ]; }
          ];
        };
    in
    {
      nixosConfigurations = {
        a = mkSystem { hostname = "a"; };
        b =
          let
            pkgs = nixpkgs.legacyPackages.aarch64-linux;
          in
          nixpkgs.lib.nixosSystem {
            system = "x86_64-linux";
            modules = [
              ./hosts/b.nix
              { environment.systemPackages = [ pkgs.vim ]; }
            ];
          };
      };
    };
}
