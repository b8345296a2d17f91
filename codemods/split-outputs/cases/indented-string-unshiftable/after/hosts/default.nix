{ nixpkgs, ... }:
{
  gate = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [
      ../gate.nix
      {
        environment.etc."issue".text = ''
Authorised use only.
  All sessions are logged.
              '';
      }
    ];
  };
}
