# A stub of home-manager for flake-refactor's `--verify` tests: the
# activation package of `lib.homeManagerConfiguration` and the users of the
# NixOS module depend on everything they were given (see the nixpkgs stub's
# lib.nix for how). It uses the `lib` of the `pkgs` it is given, so it needs
# the nixpkgs stub.
{
  description = "flake-refactor test stub of home-manager";

  outputs = { self }:
    let
      evalHome = { pkgs, lib ? pkgs.lib, modules, extraSpecialArgs ? { }, extraArgs ? { } }:
        lib.stub.evalModules {
          inherit modules;
          args = { inherit pkgs lib; } // extraArgs // extraSpecialArgs;
        };

      homeManagerConfiguration = { pkgs, lib ? pkgs.lib, modules ? [ ], extraSpecialArgs ? { }, ... }:
        let
          ev = evalHome { inherit pkgs lib modules extraSpecialArgs; };
        in
        {
          inherit pkgs;
          config = ev.config;
          activationPackage = lib.stub.mkDrv pkgs.system "home-manager-generation" {
            inherit pkgs extraSpecialArgs;
            modules = ev.description;
          };
        };

      # As a NixOS module: every `home-manager.users.<name>` is evaluated as
      # a Home Manager configuration and its description becomes part of the
      # system.
      nixosModule = { config, lib, pkgs, ... }:
        let
          hm = config.home-manager or { };
        in
        {
          home-manager-stub.users = lib.mapAttrs
            (name: m: (evalHome {
              inherit pkgs lib;
              modules = [ m ] ++ (hm.sharedModules or [ ]);
              extraSpecialArgs = hm.extraSpecialArgs or { };
              extraArgs = { osConfig = config; };
            }).description)
            (hm.users or { });
        };
    in
    {
      lib = { inherit homeManagerConfiguration; };
      nixosModules = {
        home-manager = nixosModule;
        default = nixosModule;
      };
      darwinModules = {
        home-manager = nixosModule;
        default = nixosModule;
      };
    };
}
