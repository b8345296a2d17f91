{
  inputs = {
    nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  };

  outputs = { self, nixpkgs-unstable, ... }:
    let
      systems = [ "x86_64-linux" ];
      pkgsFor = system: import nixpkgs-unstable { inherit system; };
    in
    {
      packages = nixpkgs-unstable.lib.genAttrs systems (system: {
        default = (pkgsFor system).neovim;
      });
    };
}
