{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  outputs = inputs: with inputs; let forAll = nixpkgs.lib.genAttrs [ "x86_64-linux" ]; in ({ # all outputs
    packages = forAll (s: { default = nixpkgs.legacyPackages.${s}.hello; }); devShells = forAll (s: { });
    lib = { };
  });
}
