{ nixpkgs, system, ... }:
{
  toolbox = nixpkgs.lib.nixosSystem {
    inherit system;
    modules = [
      ../toolbox.nix
      ({ pkgs, ... }: {
        environment.systemPackages = with pkgs; [
          git
          vim
        ];
      })
    ];
  };
}
