{
  home-manager,
  inputs,
  nixpkgs,
  ...
}:
{
  hostModule,
}:
  nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    specialArgs = { inherit inputs; };
    modules = [
      hostModule
      ../modules
      home-manager.nixosModules.home-manager
    ];
  }
