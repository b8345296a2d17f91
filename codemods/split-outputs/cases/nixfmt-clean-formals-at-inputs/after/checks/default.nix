{
  commonModules,
  nixpkgs,
  self,
  ...
}:
{
  x86_64-linux = {
    # The shared modules must evaluate on their own, in a container.
    common =
      (nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = commonModules ++ [ { boot.isContainer = true; } ];
      }).config.system.build.toplevel;
    wren = self.nixosConfigurations.wren.config.system.build.toplevel;
  };
}
