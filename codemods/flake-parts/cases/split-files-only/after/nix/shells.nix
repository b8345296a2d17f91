{ nixpkgs }:
{
  perSystem =
    { system, ... }:
    {
      devShells =
        let
          pkgs = nixpkgs.legacyPackages.${system};
        in
        {
          # One shell per system, named after it.
          default = pkgs.mkShell { name = "shell-${system}"; };
        };
    };
}
