{ nixpkgs, self, ... }:
{
  kiosk = nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [
      ../kiosk.nix
      {
        environment.etc."motd".text = ''
          Welcome to the lobby kiosk.
            Problems? Call extension 214.
            Built from ${self.shortRev or "a dirty tree"}.
        '';
        # A plain string with a real line break: its second line is
        # part of the value and must stay exactly as it is.
        services.getty.helpLine = "Log in as guest.
   No password is needed.";
      }
    ];
  };
}
