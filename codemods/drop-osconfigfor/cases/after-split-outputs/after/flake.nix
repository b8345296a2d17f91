{
  outputs = { self, nixpkgs, home-manager, ... }:
    {
      nixosConfigurations = import ./hosts { inherit nixpkgs; };
      homeConfigurations = import ./home { inherit home-manager nixpkgs self; };
    };
}
