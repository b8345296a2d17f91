{ ... }: { perSystem = { pkgs, ... }: { formatter = pkgs.nixpkgs-fmt; }; }
