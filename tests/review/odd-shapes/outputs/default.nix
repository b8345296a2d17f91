inputs: {
  nixosConfigurations = builtins.mapAttrs (name: _: inputs.nixpkgs.lib.nixosSystem {
    modules = [ ../hosts/${name} ];
  }) (builtins.readDir ../hosts);
}
