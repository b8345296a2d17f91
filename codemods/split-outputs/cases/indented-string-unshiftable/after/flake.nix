# Gate host. The banner text was pasted from the vendor's template, so its
# lines start in column 0; moving it deeper or shallower changes the value.
{
  description = "gate host";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    {
      nixosConfigurations = import ./hosts { inherit nixpkgs; };

      packages = import ./packages { inherit nixpkgs; };
    };
}
