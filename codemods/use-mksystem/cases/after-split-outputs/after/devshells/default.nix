{ forAllSystems, pkgsFor, ... }:
forAllSystems (system:
  let
    pkgs = pkgsFor system;
  in
  {
    default = pkgs.mkShell {
      name = "nixos-config";
      packages = with pkgs; [
        git
        nixpkgs-fmt
        nil
        jq
      ];
      shellHook = ''
        echo "nixos-config dev shell (${system})"
        echo "  sudo nixos-rebuild switch --flake .#$(hostname -s)"
        echo "  home-manager switch --flake .#$USER --impure"
      '';
    };
  })
