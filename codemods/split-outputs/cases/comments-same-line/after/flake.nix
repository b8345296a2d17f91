# Comments written on the same line as let bindings: a comment before a
# binding belongs to it; one after a binding belongs to that binding.
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    let
      system = "x86_64-linux"; /* every host is x86 */
    in
    {
      nixosConfigurations = import ./hosts { inherit nixpkgs system; };

      packages.${system}.default = nixpkgs.legacyPackages.${system}.hello;
    };
}
