{
  description = "NixOS and nix-darwin hosts in files of their own";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    home-manager = {
      url = "github:nix-community/home-manager/release-24.11";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    nix-darwin.url = "github:LnL7/nix-darwin";
  };

  outputs = { self, nixpkgs, home-manager, nix-darwin, ... }@inputs:
    let
      mkHomeManager = { userModule }: {
        home-manager = {
          useGlobalPkgs = true;
          useUserPackages = true;
          users."jo.doe" = userModule;
          extraSpecialArgs = {
            inherit inputs;
            portable = true;
          };
        };
      };
    in
    {
      nixosConfigurations = import ./hosts { inherit inputs mkHomeManager; };
      darwinConfigurations = import ./darwin { inherit inputs mkHomeManager; };
    };
}
